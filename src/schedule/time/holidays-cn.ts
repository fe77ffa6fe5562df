/**
 * The official Chinese public-holiday calendar: for each year, the rest days and the make-up
 * working days (调休) that the General Office of the State Council announces, usually in
 * November or December of the year before, in 《国务院办公厅关于 YYYY 年部分节假日安排的通知》.
 *
 * Why data and not rules: the lunar holidays move, and the make-up Saturdays and Sundays are a
 * decision of each year's notice, so no formula gives them. Only announced years are here; for a
 * year not listed, `createWorkingCalendar` falls back to "weekends only" and `covers(year)` is
 * false so that callers can warn.
 *
 * Sources (transcribed, then cross-checked; see docs/holidays.md for how to add a year):
 * - NateScarlet/holiday-cn (https://github.com/NateScarlet/holiday-cn), one JSON per year
 *   (`days: [{ name, date, isOffDay }]`, parsed daily from www.gov.cn), and its `holiday-cn.ics`;
 *   for 2026 its format as published by the drjiathu/holiday-cn and lwx-cloud/china-holiday
 *   mirrors of the same scraper.
 * - vsme/chinese-days (https://github.com/vsme/chinese-days), `src/holidays/generate.ts`, which
 *   quotes each notice's text.
 * - For 2026 also awfe/ChinaWorkingDay `2026.json` (the list of working days), which the tests
 *   check month by month.
 * Each year's `notices` are the State Council texts on www.gov.cn that the sources cite.
 *
 * Conventions, explicitly:
 * - `off` lists the rest periods as the notice states them, inclusive at both ends. A range
 *   includes the weekend days inside it ("10月1日至7日放假调休" is 10-01..10-07). Where the notice
 *   says "与周末连休" (joined to the weekend) only the named day is listed: the weekend days next
 *   to it are rest days anyway.
 * - `work` lists the make-up working days (weekend days that are working days, "上班").
 * - A year's entry holds what that year's notice says, which can reach into late December of the
 *   year before (the 2023 New Year's Day break began on 2022-12-31).
 * - 2019 and 2020 were amended by a second notice (the 2019 Labour Day break; the 2020 Spring
 *   Festival extension for COVID-19, which also cancelled the make-up Saturday 2020-02-01); the
 *   data is the amended calendar. 2015 had an extra one-off holiday (the 70th anniversary of the
 *   victory in the War of Resistance, 2015-09-03/04, make-up 2015-09-06).
 * - Years covered: 2008–2026, the years under the 2007 revision of 《全国年节及纪念日放假办法》
 *   (Qingming, Dragon Boat and Mid-Autumn became holidays in 2008) and its 2013 and 2024
 *   revisions. 2027 is left out: its notice is not yet in the sources (their 2027 files are
 *   empty). Years before 2008 followed the older "golden week" scheme and are left out on purpose.
 */

/** A rest period: holiday name (as in the notice), first day, last day (inclusive). A single day has no last day. */
export type CnRestPeriod = readonly [name: string, from: string, to?: string];

/** A make-up working day: the holiday it makes up for and the date (a Saturday or Sunday). */
export type CnMakeUpDay = readonly [name: string, date: string];

/** What one year's State Council notice announces. */
export interface CnHolidayYear {
  /** The year the notice is for. */
  readonly year: number;
  /** The notice(s) on www.gov.cn. */
  readonly notices: readonly string[];
  /** Rest days (放假), as ranges. */
  readonly off: readonly CnRestPeriod[];
  /** Make-up working days (调休上班). */
  readonly work: readonly CnMakeUpDay[];
}

/** English names of the holidays, for docs and explanations. */
export const CN_HOLIDAY_NAMES: Readonly<Record<string, string>> = {
  元旦: "New Year's Day",
  春节: "Spring Festival",
  清明节: "Qingming Festival",
  劳动节: "Labour Day",
  端午节: "Dragon Boat Festival",
  中秋节: "Mid-Autumn Festival",
  国庆节: "National Day",
  "中秋节、国庆节": "Mid-Autumn Festival and National Day",
  抗战胜利纪念日: "70th anniversary of the victory in the War of Resistance",
};

/** The announced calendars, oldest first. */
export const CN_HOLIDAY_YEARS: readonly CnHolidayYear[] = [
  {
    year: 2008,
    notices: ["http://www.gov.cn/zwgk/2007-12/18/content_837184.htm"],
    off: [["元旦", "2007-12-30", "2008-01-01"], ["春节", "2008-02-06", "2008-02-12"], ["清明节", "2008-04-04", "2008-04-06"], ["劳动节", "2008-05-01", "2008-05-03"], ["端午节", "2008-06-07", "2008-06-09"], ["中秋节", "2008-09-13", "2008-09-15"], ["国庆节", "2008-09-29", "2008-10-05"]],
    work: [["元旦", "2007-12-29"], ["春节", "2008-02-02"], ["春节", "2008-02-03"], ["劳动节", "2008-05-04"], ["国庆节", "2008-09-27"], ["国庆节", "2008-09-28"]],
  },
  {
    year: 2009,
    notices: ["http://www.gov.cn/zhengce/content/2008-12/10/content_1572.htm"],
    off: [["元旦", "2009-01-01", "2009-01-03"], ["春节", "2009-01-25", "2009-01-31"], ["清明节", "2009-04-04", "2009-04-06"], ["劳动节", "2009-05-01", "2009-05-03"], ["端午节", "2009-05-28", "2009-05-30"], ["中秋节、国庆节", "2009-10-01", "2009-10-08"]],
    work: [["元旦", "2009-01-04"], ["春节", "2009-01-24"], ["春节", "2009-02-01"], ["端午节", "2009-05-31"], ["中秋节、国庆节", "2009-09-27"], ["中秋节、国庆节", "2009-10-10"]],
  },
  {
    year: 2010,
    notices: ["http://www.gov.cn/zhengce/content/2009-12/08/content_1476.htm"],
    off: [["元旦", "2010-01-01", "2010-01-03"], ["春节", "2010-02-13", "2010-02-19"], ["清明节", "2010-04-03", "2010-04-05"], ["劳动节", "2010-05-01", "2010-05-03"], ["端午节", "2010-06-14", "2010-06-16"], ["中秋节", "2010-09-22", "2010-09-24"], ["国庆节", "2010-10-01", "2010-10-07"]],
    work: [["春节", "2010-02-20"], ["春节", "2010-02-21"], ["端午节", "2010-06-12"], ["端午节", "2010-06-13"], ["中秋节", "2010-09-19"], ["中秋节", "2010-09-25"], ["国庆节", "2010-09-26"], ["国庆节", "2010-10-09"]],
  },
  {
    year: 2011,
    notices: ["http://www.gov.cn/zhengce/content/2010-12/10/content_1423.htm"],
    off: [["元旦", "2011-01-01", "2011-01-03"], ["春节", "2011-02-02", "2011-02-08"], ["清明节", "2011-04-03", "2011-04-05"], ["劳动节", "2011-04-30", "2011-05-02"], ["端午节", "2011-06-04", "2011-06-06"], ["中秋节", "2011-09-10", "2011-09-12"], ["国庆节", "2011-10-01", "2011-10-07"]],
    work: [["春节", "2011-01-30"], ["春节", "2011-02-12"], ["清明节", "2011-04-02"], ["国庆节", "2011-10-08"], ["国庆节", "2011-10-09"]],
  },
  {
    year: 2012,
    notices: ["http://www.gov.cn/zhengce/content/2011-12/06/content_1411.htm"],
    off: [["元旦", "2012-01-01", "2012-01-03"], ["春节", "2012-01-22", "2012-01-28"], ["清明节", "2012-04-02", "2012-04-04"], ["劳动节", "2012-04-29", "2012-05-01"], ["端午节", "2012-06-22", "2012-06-24"], ["中秋节、国庆节", "2012-09-30", "2012-10-07"]],
    work: [["元旦", "2011-12-31"], ["春节", "2012-01-21"], ["春节", "2012-01-29"], ["清明节", "2012-03-31"], ["清明节", "2012-04-01"], ["劳动节", "2012-04-28"], ["中秋节、国庆节", "2012-09-29"]],
  },
  {
    year: 2013,
    notices: ["http://www.gov.cn/zhengce/content/2012-12/10/content_1353.htm"],
    off: [["元旦", "2013-01-01", "2013-01-03"], ["春节", "2013-02-09", "2013-02-15"], ["清明节", "2013-04-04", "2013-04-06"], ["劳动节", "2013-04-29", "2013-05-01"], ["端午节", "2013-06-10", "2013-06-12"], ["中秋节", "2013-09-19", "2013-09-21"], ["国庆节", "2013-10-01", "2013-10-07"]],
    work: [["元旦", "2013-01-05"], ["元旦", "2013-01-06"], ["春节", "2013-02-16"], ["春节", "2013-02-17"], ["清明节", "2013-04-07"], ["劳动节", "2013-04-27"], ["劳动节", "2013-04-28"], ["端午节", "2013-06-08"], ["端午节", "2013-06-09"], ["中秋节", "2013-09-22"], ["国庆节", "2013-09-29"], ["国庆节", "2013-10-12"]],
  },
  {
    year: 2014,
    notices: ["http://www.gov.cn/zwgk/2013-12/11/content_2546204.htm"],
    off: [["元旦", "2014-01-01"], ["春节", "2014-01-31", "2014-02-06"], ["清明节", "2014-04-05"], ["清明节", "2014-04-07"], ["劳动节", "2014-05-01", "2014-05-03"], ["端午节", "2014-06-02"], ["中秋节", "2014-09-08"], ["国庆节", "2014-10-01", "2014-10-07"]],
    work: [["春节", "2014-01-26"], ["春节", "2014-02-08"], ["劳动节", "2014-05-04"], ["国庆节", "2014-09-28"], ["国庆节", "2014-10-11"]],
  },
  {
    year: 2015,
    notices: ["http://www.gov.cn/zhengce/content/2014-12/16/content_9302.htm", "http://www.gov.cn/zhengce/content/2015-05/13/content_9742.htm"],
    off: [["元旦", "2015-01-01", "2015-01-03"], ["春节", "2015-02-18", "2015-02-24"], ["清明节", "2015-04-05", "2015-04-06"], ["劳动节", "2015-05-01"], ["端午节", "2015-06-20"], ["端午节", "2015-06-22"], ["抗战胜利纪念日", "2015-09-03", "2015-09-05"], ["中秋节", "2015-09-27"], ["国庆节", "2015-10-01", "2015-10-07"]],
    work: [["元旦", "2015-01-04"], ["春节", "2015-02-15"], ["春节", "2015-02-28"], ["抗战胜利纪念日", "2015-09-06"], ["国庆节", "2015-10-10"]],
  },
  {
    year: 2016,
    notices: ["http://www.gov.cn/zhengce/content/2015-12/10/content_10394.htm"],
    off: [["元旦", "2016-01-01"], ["春节", "2016-02-07", "2016-02-13"], ["清明节", "2016-04-04"], ["劳动节", "2016-05-01", "2016-05-02"], ["端午节", "2016-06-09", "2016-06-11"], ["中秋节", "2016-09-15", "2016-09-17"], ["国庆节", "2016-10-01", "2016-10-07"]],
    work: [["春节", "2016-02-06"], ["春节", "2016-02-14"], ["端午节", "2016-06-12"], ["中秋节", "2016-09-18"], ["国庆节", "2016-10-08"], ["国庆节", "2016-10-09"]],
  },
  {
    year: 2017,
    notices: ["http://www.gov.cn/zhengce/content/2016-12/01/content_5141603.htm"],
    off: [["元旦", "2017-01-01", "2017-01-02"], ["春节", "2017-01-27", "2017-02-02"], ["清明节", "2017-04-02", "2017-04-04"], ["劳动节", "2017-05-01"], ["端午节", "2017-05-28", "2017-05-30"], ["中秋节、国庆节", "2017-10-01", "2017-10-08"]],
    work: [["春节", "2017-01-22"], ["春节", "2017-02-04"], ["清明节", "2017-04-01"], ["端午节", "2017-05-27"], ["中秋节、国庆节", "2017-09-30"]],
  },
  {
    year: 2018,
    notices: ["http://www.gov.cn/zhengce/content/2017-11/30/content_5243579.htm"],
    off: [["元旦", "2018-01-01"], ["春节", "2018-02-15", "2018-02-21"], ["清明节", "2018-04-05", "2018-04-07"], ["劳动节", "2018-04-29", "2018-05-01"], ["端午节", "2018-06-18"], ["中秋节", "2018-09-24"], ["国庆节", "2018-10-01", "2018-10-07"]],
    work: [["春节", "2018-02-11"], ["春节", "2018-02-24"], ["清明节", "2018-04-08"], ["劳动节", "2018-04-28"], ["国庆节", "2018-09-29"], ["国庆节", "2018-09-30"]],
  },
  {
    year: 2019,
    notices: ["http://www.gov.cn/zhengce/content/2018-12/06/content_5346276.htm", "http://www.gov.cn/zhengce/content/2019-03/22/content_5375877.htm"],
    off: [["元旦", "2018-12-30", "2019-01-01"], ["春节", "2019-02-04", "2019-02-10"], ["清明节", "2019-04-05"], ["劳动节", "2019-05-01", "2019-05-04"], ["端午节", "2019-06-07"], ["中秋节", "2019-09-13"], ["国庆节", "2019-10-01", "2019-10-07"]],
    work: [["元旦", "2018-12-29"], ["春节", "2019-02-02"], ["春节", "2019-02-03"], ["劳动节", "2019-04-28"], ["劳动节", "2019-05-05"], ["国庆节", "2019-09-29"], ["国庆节", "2019-10-12"]],
  },
  {
    year: 2020,
    notices: ["http://www.gov.cn/zhengce/content/2019-11/21/content_5454164.htm", "http://www.gov.cn/zhengce/content/2020-01/27/content_5472352.htm"],
    off: [["元旦", "2020-01-01"], ["春节", "2020-01-24", "2020-02-02"], ["清明节", "2020-04-04", "2020-04-06"], ["劳动节", "2020-05-01", "2020-05-05"], ["端午节", "2020-06-25", "2020-06-27"], ["中秋节、国庆节", "2020-10-01", "2020-10-08"]],
    work: [["春节", "2020-01-19"], ["劳动节", "2020-04-26"], ["劳动节", "2020-05-09"], ["端午节", "2020-06-28"], ["中秋节、国庆节", "2020-09-27"], ["中秋节、国庆节", "2020-10-10"]],
  },
  {
    year: 2021,
    notices: ["http://www.gov.cn/zhengce/content/2020-11/25/content_5564127.htm"],
    off: [["元旦", "2021-01-01", "2021-01-03"], ["春节", "2021-02-11", "2021-02-17"], ["清明节", "2021-04-03", "2021-04-05"], ["劳动节", "2021-05-01", "2021-05-05"], ["端午节", "2021-06-12", "2021-06-14"], ["中秋节", "2021-09-19", "2021-09-21"], ["国庆节", "2021-10-01", "2021-10-07"]],
    work: [["春节", "2021-02-07"], ["春节", "2021-02-20"], ["劳动节", "2021-04-25"], ["劳动节", "2021-05-08"], ["中秋节", "2021-09-18"], ["国庆节", "2021-09-26"], ["国庆节", "2021-10-09"]],
  },
  {
    year: 2022,
    notices: ["http://www.gov.cn/zhengce/content/2021-10/25/content_5644835.htm"],
    off: [["元旦", "2022-01-01", "2022-01-03"], ["春节", "2022-01-31", "2022-02-06"], ["清明节", "2022-04-03", "2022-04-05"], ["劳动节", "2022-04-30", "2022-05-04"], ["端午节", "2022-06-03", "2022-06-05"], ["中秋节", "2022-09-10", "2022-09-12"], ["国庆节", "2022-10-01", "2022-10-07"]],
    work: [["春节", "2022-01-29"], ["春节", "2022-01-30"], ["清明节", "2022-04-02"], ["劳动节", "2022-04-24"], ["劳动节", "2022-05-07"], ["国庆节", "2022-10-08"], ["国庆节", "2022-10-09"]],
  },
  {
    year: 2023,
    notices: ["http://www.gov.cn/zhengce/content/2022-12/08/content_5730844.htm"],
    off: [["元旦", "2022-12-31", "2023-01-02"], ["春节", "2023-01-21", "2023-01-27"], ["清明节", "2023-04-05"], ["劳动节", "2023-04-29", "2023-05-03"], ["端午节", "2023-06-22", "2023-06-24"], ["中秋节、国庆节", "2023-09-29", "2023-10-06"]],
    work: [["春节", "2023-01-28"], ["春节", "2023-01-29"], ["劳动节", "2023-04-23"], ["劳动节", "2023-05-06"], ["端午节", "2023-06-25"], ["中秋节、国庆节", "2023-10-07"], ["中秋节、国庆节", "2023-10-08"]],
  },
  {
    year: 2024,
    notices: ["https://www.gov.cn/zhengce/content/202310/content_6911527.htm"],
    off: [["元旦", "2024-01-01"], ["春节", "2024-02-10", "2024-02-17"], ["清明节", "2024-04-04", "2024-04-06"], ["劳动节", "2024-05-01", "2024-05-05"], ["端午节", "2024-06-10"], ["中秋节", "2024-09-15", "2024-09-17"], ["国庆节", "2024-10-01", "2024-10-07"]],
    work: [["春节", "2024-02-04"], ["春节", "2024-02-18"], ["清明节", "2024-04-07"], ["劳动节", "2024-04-28"], ["劳动节", "2024-05-11"], ["中秋节", "2024-09-14"], ["国庆节", "2024-09-29"], ["国庆节", "2024-10-12"]],
  },
  {
    // The 2024 revision of the holiday rules adds a day to the Spring Festival and Labour Day (13 days a year).
    year: 2025,
    notices: ["https://www.gov.cn/zhengce/zhengceku/202411/content_6986383.htm"],
    off: [["元旦", "2025-01-01"], ["春节", "2025-01-28", "2025-02-04"], ["清明节", "2025-04-04", "2025-04-06"], ["劳动节", "2025-05-01", "2025-05-05"], ["端午节", "2025-05-31", "2025-06-02"], ["中秋节、国庆节", "2025-10-01", "2025-10-08"]],
    work: [["春节", "2025-01-26"], ["春节", "2025-02-08"], ["劳动节", "2025-04-27"], ["中秋节、国庆节", "2025-09-28"], ["中秋节、国庆节", "2025-10-11"]],
  },
  {
    year: 2026,
    notices: ["https://www.gov.cn/zhengce/zhengceku/202511/content_7047091.htm"],
    off: [["元旦", "2026-01-01", "2026-01-03"], ["春节", "2026-02-15", "2026-02-23"], ["清明节", "2026-04-04", "2026-04-06"], ["劳动节", "2026-05-01", "2026-05-05"], ["端午节", "2026-06-19", "2026-06-21"], ["中秋节", "2026-09-25", "2026-09-27"], ["国庆节", "2026-10-01", "2026-10-07"]],
    work: [["元旦", "2026-01-04"], ["春节", "2026-02-14"], ["春节", "2026-02-28"], ["劳动节", "2026-05-09"], ["国庆节", "2026-09-20"], ["国庆节", "2026-10-10"]],
  },
];
