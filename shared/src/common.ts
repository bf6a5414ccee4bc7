import { type Static, Type } from 'typebox';

/** Body of every error answer (API.md "Conventions"). */
export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Stable UPPER_SNAKE_CASE code' }),
    message: Type.String({ description: 'A sentence a person understands' }),
    field: Type.Optional(Type.String({ description: 'The request field that is wrong, when there is one' })),
  },
  { additionalProperties: true },
);
export type ErrorResponse = Static<typeof ErrorResponse>;

export const IdParams = Type.Object({ id: Type.Integer({ minimum: 1 }) });
export type IdParams = Static<typeof IdParams>;

export const Pagination = Type.Object({
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 50 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000, default: 0 })),
});
