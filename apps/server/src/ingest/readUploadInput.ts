import { z } from 'zod';

export const readUploadInput = z.object({
  fileName: z.string().trim().max(300).default(''),
  // The body limit (NEXUS_MAX_BODY_BYTES) bounds its size.
  content: z.string(),
});
