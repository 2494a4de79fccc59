import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Handlers } from '../http/api';
import { HttpProblem } from '../http/problem';
import * as repository from './passenger.repository';

type PassengerHandlers = Pick<
  Handlers,
  'listPassengers' | 'getPassenger' | 'createPassenger' | 'replacePassenger' | 'deletePassenger'
>;

function notFound(uuid: string): HttpProblem {
  return new HttpProblem(404, `No passenger with uuid ${uuid}.`);
}

export function passengerHandlers(db: Kysely<Database>): PassengerHandlers {
  return {
    async listPassengers({ query, ctx }) {
      const limit = query.limit ?? 1000;
      const { passengers, hasMore } = await repository.list(db, { ...query, limit });
      const headers: Record<string, string> = {};
      if (hasMore) {
        // Same filters and limit, cursor moved to this page's last uuid.
        const next = new URLSearchParams(ctx.querystring);
        next.set('after', passengers[passengers.length - 1].uuid);
        headers.Link = `<${ctx.path}?${next.toString()}>; rel="next"`;
      }
      return { status: 200, body: passengers, headers };
    },

    async getPassenger({ path }) {
      const passenger = await repository.findById(db, path.uuid);
      if (!passenger) throw notFound(path.uuid);
      return { status: 200, body: passenger };
    },

    async createPassenger({ body }) {
      const passenger = await repository.insert(db, body);
      return { status: 201, body: passenger, headers: { Location: `/getpassenger/${passenger.uuid}` } };
    },

    async replacePassenger({ path, body }) {
      const passenger = await repository.replace(db, path.uuid, body);
      if (!passenger) throw notFound(path.uuid);
      return { status: 200, body: passenger };
    },

    async deletePassenger({ path }) {
      if (!(await repository.remove(db, path.uuid))) throw notFound(path.uuid);
      return { status: 204, body: undefined };
    },
  };
}
