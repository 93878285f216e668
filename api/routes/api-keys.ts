import { randomBytes } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  API_KEY_SCOPES,
  apiKeyFromBytes,
  apiKeyHash,
  apiKeyPrefix,
  SCOPE_DESCRIPTIONS,
} from '../../core/api-keys.ts';
import { insertApiKey, listApiKeys, revokeApiKey, type ApiKeyRow } from '../../db/api-keys.ts';
import type { ApiDeps } from '../deps.ts';
import { newKeyId } from '../auth.ts';
import { ApiError, notFound } from '../errors.ts';

const tags = ['api keys'];

const scopeText = API_KEY_SCOPES.map((scope) => `\`${scope}\`: ${SCOPE_DESCRIPTIONS[scope]}`).join(
  '; ',
);

const keyInput = z.object({
  name: z
    .string()
    .trim()
    .min(1)
    .max(100)
    .refine(
      (text) => [...text].every((char) => char >= ' ' && char !== '\u007f'),
      'no control characters',
    )
    .describe('Who or what uses the key; changes made with it are recorded under this name'),
  scope: z.enum(API_KEY_SCOPES).describe(`What the key may do. ${scopeText}`),
});

const keySchema = z.object({
  id: z.string(),
  name: z.string(),
  scope: z.enum(API_KEY_SCOPES),
  prefix: z
    .string()
    .describe('The first characters of the key, to tell keys apart (`env:API_KEY` for bootstrap)'),
  created_at: z.string(),
  last_used_at: z.string().nullable().describe('Last use, recorded at most once a minute'),
  revoked_at: z.string().nullable(),
});

const createdKeySchema = keySchema.extend({
  key: z
    .string()
    .describe('The key (`tdm_…`): shown only in this answer; send it as `Authorization: Bearer`'),
});

const keyParams = z.object({ id: z.string().min(1).max(100) });

/** API keys, managed with an admin key: created (the secret shown once), listed, revoked. */
export const apiKeyRoutes: FastifyPluginAsyncZod<ApiDeps> = async (app, { db }) => {
  app.post(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'Create an API key (admin): the key is in this answer only',
        body: keyInput,
        response: { 201: createdKeySchema },
      },
    },
    async (request, reply) => {
      const key = apiKeyFromBytes(randomBytes(32));
      const row = await insertApiKey(db, {
        id: newKeyId(),
        name: request.body.name,
        scope: request.body.scope,
        keyHash: apiKeyHash(key),
        prefix: apiKeyPrefix(key),
      });
      request.log.info({ api_key: row.id, scope: row.scope }, 'API key created');
      return reply.status(201).send({ ...present(row), key });
    },
  );

  app.get(
    '/api-keys',
    {
      schema: {
        tags,
        summary: 'List API keys, revoked ones too (admin); never a key itself',
        response: { 200: z.object({ api_keys: z.array(keySchema) }) },
      },
    },
    async () => ({ api_keys: (await listApiKeys(db)).map(present) }),
  );

  app.delete(
    '/api-keys/:id',
    {
      schema: {
        tags,
        summary:
          'Revoke an API key (admin): refused from the next request on; the last active admin key cannot be revoked',
        params: keyParams,
        response: { 200: keySchema },
      },
    },
    async (request) => {
      const outcome = await revokeApiKey(db, request.params.id, new Date());
      switch (outcome.kind) {
        case 'not_found':
          throw notFound('API key', request.params.id);
        case 'last_admin':
          throw new ApiError(
            409,
            'last_admin_key',
            `API key ${outcome.key.id} is the last active admin key: create another admin key before revoking it`,
          );
        case 'revoked':
          request.log.info({ api_key: outcome.key.id }, 'API key revoked');
          return present(outcome.key);
        case 'already_revoked':
          return present(outcome.key);
      }
    },
  );
};

function present(row: ApiKeyRow) {
  return {
    id: row.id,
    name: row.name,
    scope: row.scope,
    prefix: row.prefix,
    created_at: row.created_at.toISOString(),
    last_used_at: row.last_used_at?.toISOString() ?? null,
    revoked_at: row.revoked_at?.toISOString() ?? null,
  };
}
