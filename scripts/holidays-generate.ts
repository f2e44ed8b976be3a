// `npm run holidays:generate`: writes Tanzania's public holidays for 2000–2075 from
// date-holidays into bot/sla/tz-public-holidays.json, the table the server reads.
// Run it after upgrading date-holidays; the institution's own corrections (announced
// Eid dates) stay in bot/sla/holidays.yml and HOLIDAYS_PATH.
import { writeFileSync } from 'node:fs';
import { TANZANIAN_HOLIDAYS_PATH } from '../bot/sla/holidays.ts';
import { dateHolidaysTable, HOLIDAY_YEARS } from '../bot/sla/tz-holidays-source.ts';

const table = dateHolidaysTable();
writeFileSync(TANZANIAN_HOLIDAYS_PATH, `${JSON.stringify(table, null, 1)}\n`);
process.stdout.write(`wrote ${TANZANIAN_HOLIDAYS_PATH}: ${HOLIDAY_YEARS.from}–${HOLIDAY_YEARS.to}, ${Object.values(table).flat().length} holidays\n`);
