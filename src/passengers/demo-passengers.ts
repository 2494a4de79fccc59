import type { PassengerInput } from './passenger.table';

// A dozen real passengers from the Titanic list, so a fresh `npm start` has
// something to show. Their uuids are fixed: the spec's examples, the README's
// curl lines and the contract test all refer to them (…01 is Braund, …0c is
// the one the contract test deletes).
const rows: [number, boolean, 1 | 2 | 3, string, 'male' | 'female', number | null, number, number, number][] = [
  [1, false, 3, 'Mr. Owen Harris Braund', 'male', 22, 1, 0, 7.25],
  [2, true, 1, 'Mrs. John Bradley (Florence Briggs Thayer) Cumings', 'female', 38, 1, 0, 71.2833],
  [3, true, 3, 'Miss. Laina Heikkinen', 'female', 26, 0, 0, 7.925],
  [4, true, 1, 'Mrs. Jacques Heath (Lily May Peel) Futrelle', 'female', 35, 1, 0, 53.1],
  [5, false, 3, 'Mr. William Henry Allen', 'male', 35, 0, 0, 8.05],
  [6, false, 3, 'Mr. James Moran', 'male', 27, 0, 0, 8.4583],
  [7, false, 1, 'Mr. Timothy J McCarthy', 'male', 54, 0, 0, 51.8625],
  [8, false, 3, 'Master. Gosta Leonard Palsson', 'male', 2, 3, 1, 21.075],
  [9, true, 3, 'Mrs. Oscar W (Elisabeth Vilhelmina Berg) Johnson', 'female', 27, 0, 2, 11.1333],
  [10, true, 2, 'Mrs. Nicholas (Adele Achem) Nasser', 'female', 14, 1, 0, 30.0708],
  [11, true, 3, 'Miss. Marguerite Rut Sandstrom', 'female', 4, 1, 1, 16.7],
  [12, true, 1, 'Miss. Elizabeth Bonnell', 'female', 58, 0, 0, 26.55],
];

export const demoPassengers: { uuid: string; input: PassengerInput }[] = rows.map(
  ([n, survived, passengerClass, name, sex, age, siblingsOrSpousesAboard, parentsOrChildrenAboard, fare]) => ({
    uuid: `1b2c3d4e-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
    input: { survived, passengerClass, name, sex, age, siblingsOrSpousesAboard, parentsOrChildrenAboard, fare },
  }),
);
