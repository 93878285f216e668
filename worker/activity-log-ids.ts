import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Fields of an activity's input that name what it works on, copied onto its log lines. */
const ID_FIELDS = ['campaignId', 'messageId', 'contactId', 'poolId', 'conversationId'] as const;

/**
 * Every log line of an activity (the SDK's "Activity completed" and the activity's own `log`
 * calls) carries the ids its input names, beside the workflowId, activityId and type the SDK
 * adds. The task token is left out: it is long, and it lets its holder complete the activity.
 */
export const activityLogIds: ActivityInterceptorsFactory = () => {
  const ids: Record<string, unknown> = {};
  return {
    inbound: {
      async execute(input, next) {
        const first: unknown = input.args[0];
        if (typeof first === 'object' && first !== null) {
          for (const field of ID_FIELDS) {
            const value: unknown = Reflect.get(first, field);
            if (typeof value === 'string' || typeof value === 'number') ids[field] = value;
          }
        }
        return next(input);
      },
    },
    outbound: {
      getLogAttributes(input, next) {
        const { taskToken: _taskToken, ...attributes } = next(input);
        return { ...attributes, ...ids };
      },
    },
  };
};
