/**
 * The create request (SPEC §1.2): the body schemas for each content type, built from the
 * field schemas of fields.ts, and `parseCreateRequest`, the server's one validation. Pure:
 * the HTTP layer collects the raw fields and hands them here; a failed rule throws a
 * FieldError naming the field. Unknown fields are ignored.
 */
import { z } from 'zod';
import { DEFAULT_FORMAT, type OutputFormat } from './formats.js';
import { DEFAULT_LANGUAGES } from './languages.js';
import { fieldSchemas, jsonSync } from './fields.js';

export { MAX_PASSWORD_LENGTH } from './fields.js';

/** A rejected field. Carries the field's name so that callers map it to their own error type. */
export class FieldError extends Error {
  constructor(readonly field: string, message: string) {
    super(message);
    this.name = 'FieldError';
  }
}

const optional = <T extends Record<string, z.ZodType>>(shape: T) =>
  Object.fromEntries(Object.entries(shape).map(([k, v]) => [k, v.optional()])) as { [K in keyof T]: z.ZodOptional<T[K]> };

const SOURCE_RULE = 'Exactly one of image_url and image_file, not empty.';

/** application/x-www-form-urlencoded: text fields only (an image_url task). */
export const createUrlencodedBody = z.object(optional(fieldSchemas))
  .meta({ id: 'CreateUrlencodedBody', description: `docr extra: the form fields without a file, for image_url tasks. ${SOURCE_RULE}` });

/** multipart/form-data, the reference's form: the fields and the file. */
export const createMultipartBody = createUrlencodedBody.extend({
  image_file: z.file().meta({ description: 'The document (pdf, doc, docx, xls, xlsx, ppt, pptx, jpeg, png, gif, bmp), as a file part; its type is read from its content, never its name. Not empty.' }).optional(),
}).meta({ id: 'CreateMultipartBody', description: `The reference's form. ${SOURCE_RULE}` });

/** application/json: the text fields; sync may also be a number or a boolean. */
export const createJsonBody = createUrlencodedBody.extend({ sync: jsonSync.optional() })
  .meta({ id: 'CreateJsonBody', description: `docr extra: the fields as a JSON object, for image_url tasks. ${SOURCE_RULE}` });

export type CreateMultipartInput = z.input<typeof createMultipartBody>;
export type CreateJsonInput = z.input<typeof createJsonBody>;
/** The names of the create fields (image_file included). */
export const CREATE_FIELDS = Object.keys(createMultipartBody.shape) as (keyof CreateMultipartInput)[];

export interface CreateRequest {
  imageUrl?: string;
  /** True when a non-empty image_file part was uploaded. */
  hasFile: boolean;
  languages: string[];
  password?: string;
  format: OutputFormat;
  sync: boolean;
  callbackUrl?: string;
  /** docr extra: the pages to read, "1-3,5" (page-ranges.ts); undefined reads every page. */
  pages?: string;
}

export type RawFieldValue = string | number | boolean | null | undefined | readonly unknown[] | object;

export interface ParseOptions {
  /** The body was JSON (sync may be a number or boolean); otherwise a form. */
  json?: boolean;
  /**
   * A further check of the (valid) language field, such as the installed models; throws
   * FieldError-like errors or returns the names.
   */
  validateLanguages?: (value: string) => string[];
}

/** Validates the raw fields; an empty string counts as an absent field. */
export function parseCreateRequest(fields: Record<string, RawFieldValue>, hasFile: boolean, opts: ParseOptions = {}): CreateRequest {
  const present = Object.fromEntries(Object.entries(fields).filter(([k, v]) => k in createJsonBody.shape && v !== '' && v !== undefined && v !== null));
  const parsed = (opts.json ? createJsonBody : createUrlencodedBody).safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new FieldError(String(issue.path[0] ?? 'body'), issue.message);
  }
  const f = parsed.data;
  if (f.image_url !== undefined && hasFile) throw new FieldError('image_url', 'image_url and image_file: use exactly one of them, not both');
  if (f.image_url === undefined && !hasFile) throw new FieldError('image_file', 'image_url or image_file is required (exactly one of them, not empty)');
  const languages = f.language === undefined ? [...DEFAULT_LANGUAGES]
    : opts.validateLanguages ? opts.validateLanguages(f.language.join(',')) : f.language;
  return {
    imageUrl: f.image_url, hasFile, languages, password: f.password, format: f.format ?? DEFAULT_FORMAT,
    sync: f.sync === '1' || f.sync === 'true', callbackUrl: f.callback_url, pages: f.pages,
  };
}
