// Calls the contract does not allow: each line marked `error` must fail to
// compile in the consumer project (the test reads the markers' line numbers).
import { createPassengerApiClient, etagOf, linkOf } from '@passenger-api/client';

const api = createPassengerApiClient('http://127.0.0.1:9');
export const unknownPath = api.GET('/getpassengers'); // error: no such path
export const missingFields = api.POST('/postpassenger', { body: { name: 'Incomplete' } }); // error: PassengerInput needs all eight fields
export const badSex = api.GET('/passengerlist', { params: { query: { sex: 'unknown' } } }); // error: sex is 'male' or 'female'
export const etagIsNotNullable: null = etagOf(new Response()); // error: a required header is a string
export const linkMayBeAbsent: string = linkOf(new Response()); // error: Link is optional, so string | undefined
