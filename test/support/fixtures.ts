import type TestAgent from 'supertest/lib/agent';
import type { Passenger, PassengerInput } from '../../src/passengers/passenger.table';

// The old service's README example request, kept byte-for-byte in spirit.
export const postTestPassenger: PassengerInput = {
  survived: true,
  passengerClass: 2,
  name: 'Post-Test-Name',
  sex: 'male',
  age: 27.0,
  siblingsOrSpousesAboard: 0,
  parentsOrChildrenAboard: 0,
  fare: 13.0,
};

export const MISSING_UUID = '00000000-0000-4000-8000-000000000000';

// Strings that would break SQL built by concatenation (the old service's bug).
export const injectionStrings = [
  "Robert'); DROP TABLE passenger;--",
  "' OR '1'='1",
  '1; SELECT pg_sleep(10)',
  '"; DELETE FROM passenger WHERE "" = "',
  "\\x00\\' UNION SELECT * FROM pg_user --",
];

// A passenger made through the API, as the first step of a test that needs
// one: the 201 is that test's precondition, asserted where it is made.
// Called from tests only (never from a hook), like every helper that asserts.
export async function postPassenger(
  request: TestAgent,
  body: PassengerInput = postTestPassenger,
): Promise<{ uuid: string; etag: string; passenger: Passenger }> {
  const res = await request.post('/postpassenger').send(body);
  expect(res.status).toBe(201);
  const passenger = res.body as Passenger;
  return { uuid: passenger.uuid, etag: res.headers.etag, passenger };
}
