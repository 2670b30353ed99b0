/** The model version routes in the OpenAPI document (docs/decisions/0040-self-retraining.md). */
export function modelPaths(errors: (...statuses: number[]) => object) {
  const json = (description: string, schema: object) => ({
    description,
    content: { 'application/json': { schema } },
  });
  return {
    '/api/v1/models': {
      get: {
        summary:
          'The matching model versions, newest first: status (active, inactive, rejected), trigger, records, held-back figures',
        responses: {
          200: json('ok', {
            type: 'object',
            required: ['versions'],
            properties: { versions: { type: 'array', items: { type: 'object' } } },
          }),
          ...errors(401, 403),
        },
      },
    },
    '/api/v1/models/retrain': {
      post: {
        summary:
          'Admin: retrain the model from the register now; it becomes active only if not worse on the held-back sample',
        responses: {
          201: json(
            'the new version, accepted (active) or rejected, with both models\u2019 held-back figures',
            {
              type: 'object',
              required: ['versionId', 'accepted', 'check'],
              properties: {
                versionId: { type: 'integer' },
                accepted: { type: 'boolean' },
                check: { type: 'object' },
                computed: {
                  type: 'object',
                  description:
                    'the thread that trained and checked (threadId) and when each step computed (startedAt, finishedAt: ms since the epoch)',
                },
              },
            },
          ),
          ...errors(401, 403, 409),
        },
      },
    },
  };
}
