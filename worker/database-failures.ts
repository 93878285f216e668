import { ApplicationFailure } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { isDatabaseUnavailable } from '../db/errors.ts';

/**
 * An activity that failed because PostgreSQL was away fails as `DatabaseUnavailable`, always
 * retryable: the UI says what happened, and no activity's own error handling can turn a
 * restart into a permanent failure. Temporal runs it again once the retry interval passes.
 */
export const databaseFailures: ActivityInterceptorsFactory = () => ({
  inbound: {
    async execute(input, next) {
      try {
        return await next(input);
      } catch (error) {
        if (error instanceof ApplicationFailure || !isDatabaseUnavailable(error)) throw error;
        throw ApplicationFailure.create({
          type: 'DatabaseUnavailable',
          message: `database unavailable: ${error instanceof Error ? error.message : String(error)}`,
          nonRetryable: false,
          cause: error instanceof Error ? error : undefined,
        });
      }
    },
  },
});
