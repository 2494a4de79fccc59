import type { Migration } from 'kysely';
import * as createPassenger from './2026_11_24_00_00_create_passenger';
import * as indexListFilters from './2026_11_24_01_00_index_list_filters';
import * as addPassengerVersion from './2026_11_24_02_00_add_passenger_version';
import * as readableName from './2026_12_08_00_00_readable_name';

// Listed explicitly rather than read from the folder, so the same list works
// from TypeScript (tests), from dist/ and inside the container image.
export const migrations: Record<string, Migration> = {
  '2026_11_24_00_00_create_passenger': createPassenger,
  '2026_11_24_01_00_index_list_filters': indexListFilters,
  '2026_11_24_02_00_add_passenger_version': addPassengerVersion,
  '2026_12_08_00_00_readable_name': readableName,
};
