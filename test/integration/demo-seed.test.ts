import { countPassengers } from '../../src/passengers/passenger.repository';
import { seedDemoIfEmpty } from '../../src/passengers/demo-seed';
import { demoPassengers } from '../../src/passengers/demo-passengers';
import { type LogLine, captureLogger } from '../support/test-app';
import { backend, openTestDatabase, type TestDatabase } from '../support/test-database';

// The first start on an empty table: the demo dozen, and one log line telling
// the operator how to load the full list (which differs on the embedded database).
let database: TestDatabase;
beforeAll(async () => {
  database = await openTestDatabase();
});
afterAll(async () => database.close());
beforeEach(async () => database.truncate());

describe(`seeding the demo passengers on ${backend}`, () => {
  it('loads them into an empty table and says how to import the full list', async () => {
    const lines: LogLine[] = [];
    await seedDemoIfEmpty(database.handle.db, captureLogger(lines));
    expect(await countPassengers(database.handle.db)).toBe(demoPassengers.length);
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 30, rows: demoPassengers.length });
    expect(lines[0].msg).toBe('empty database: loaded the demo passengers; load the full list with `npm run import -- data/titanic.csv --replace`');
  });

  it('tells the embedded database’s operator to stop the server before importing', async () => {
    const lines: LogLine[] = [];
    await seedDemoIfEmpty(database.handle.db, captureLogger(lines), { embedded: true });
    expect(lines).toHaveLength(1);
    expect(lines[0].msg).toMatch(
      /^empty database: loaded the demo passengers; to load the full list, stop this server .* run `npm run import -- .+`, and start it again$/,
    );
  });

  it('leaves a table that has passengers alone, and logs nothing', async () => {
    await seedDemoIfEmpty(database.handle.db, captureLogger([]));
    const lines: LogLine[] = [];
    await seedDemoIfEmpty(database.handle.db, captureLogger(lines));
    expect(await countPassengers(database.handle.db)).toBe(demoPassengers.length);
    expect(lines).toEqual([]);
  });
});
