/**
 * What the enrichment stage's LLM adapter (docs/decisions/0041-enrichment-stage.md) asks for and accepts: a strict JSON schema per question (sent as the
 * request's response_format) and the zod schema its answer must pass. Every key is required and
 * nullable (strict structured outputs allow no optional keys); values are short text.
 */
import { z } from 'zod';

export type LlmQuestion = 'name' | 'address';

const MAX_PART = 200;
const part = z.string().trim().max(MAX_PART).nullable();

export const LLM_NAME_FIELDS = ['given_name', 'middle_name', 'family_name'] as const;
export const LLM_ADDRESS_FIELDS = [
  'street_number',
  'street',
  'locality',
  'city',
  'postcode',
  'state',
  'country',
] as const;

export const llmNameAnswerSchema = z.strictObject({ given_name: part, middle_name: part, family_name: part });
export const llmAddressAnswerSchema = z.strictObject({
  street_number: part,
  street: part,
  locality: part,
  city: part,
  postcode: part,
  state: part,
  country: part,
});

export type LlmNameAnswer = z.infer<typeof llmNameAnswerSchema>;
export type LlmAddressAnswer = z.infer<typeof llmAddressAnswerSchema>;
export type LlmAnswer = Partial<
  Record<(typeof LLM_NAME_FIELDS)[number] | (typeof LLM_ADDRESS_FIELDS)[number], string | null>
>;

export type LlmResponseFormat = ReturnType<typeof jsonSchema>;

function jsonSchema(name: string, fields: readonly string[]) {
  return {
    name,
    strict: true,
    schema: {
      type: 'object',
      additionalProperties: false,
      required: [...fields],
      properties: Object.fromEntries(
        fields.map((f) => [f, { type: ['string', 'null'], maxLength: MAX_PART }]),
      ),
    },
  };
}

export const LLM_QUESTIONS: Record<
  LlmQuestion,
  { instructions: string; schema: z.ZodType<LlmAnswer>; responseFormat: ReturnType<typeof jsonSchema> }
> = {
  name: {
    instructions:
      "Split the person's full name into given name, middle names and family name. Copy the words " +
      'as written (same script, same spelling); drop titles and honorifics; null for a part that is ' +
      'not there. Answer only with the JSON object.',
    schema: llmNameAnswerSchema,
    responseFormat: jsonSchema('person_name', LLM_NAME_FIELDS),
  },
  address: {
    instructions:
      'Split the postal address into street number, street, locality (suburb or village), city, ' +
      'postcode, state and country. Copy the words as written; null for a part that is not there. ' +
      'Answer only with the JSON object.',
    schema: llmAddressAnswerSchema,
    responseFormat: jsonSchema('postal_address', LLM_ADDRESS_FIELDS),
  },
};
