import type { FastifyPluginAsync } from 'fastify';
import type { ApiDeps } from '../deps.ts';
import { campaignRoutes } from './campaigns.ts';

/** Every authenticated `/v1` route plugin, registered in one place. */
export const v1Routes: FastifyPluginAsync<ApiDeps> = async (app, deps) => {
  await app.register(campaignRoutes, deps);
};
