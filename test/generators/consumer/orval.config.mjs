// orval's fetch client; run from the consumer project, where run.ts copies this file.
export default {
  passengers: {
    input: process.env.SPEC,
    output: {
      target: './generated/api.ts',
      client: 'fetch',
      // Header parameters (If-Match, If-None-Match) become arguments only with this.
      headers: true,
      // The base URL and the API key, in one function of the consumer's (orval-fetch.ts).
      override: { mutator: { path: './orval-fetch.ts', name: 'orvalFetch' } },
    },
  },
};
