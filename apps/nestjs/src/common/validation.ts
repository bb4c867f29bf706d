// Input validation (RULES.md §2) with class-validator through Nest's ValidationPipe. Unknown fields
// are dropped (whitelist, never forbidden). A rule that checks a JSON type is marked JSON_TYPE: when
// one fails the answer is 400 bad_request; any other failed rule is a value, 422 validation_failed.
import {
  BadRequestException,
  UnprocessableEntityException,
  type ValidationError,
  ValidationPipe,
} from '@nestjs/common';
import { buildMessage, ValidateBy, type ValidationOptions } from 'class-validator';

export const INT32_MAX = 2_147_483_647;

/** Options for a rule that checks a JSON type (a string, an integer, present and not null). */
export const JSON_TYPE: ValidationOptions = { context: { jsonType: true } };

/** The messages of the failed rules that check a JSON type (isObject: the pipe's own object check). */
function jsonTypeMessages(error: ValidationError): string[] {
  const constraints = error.constraints ?? {};
  return Object.keys(constraints)
    .filter((rule) => rule === 'isObject' || error.contexts?.[rule]?.jsonType === true)
    .map((rule) => constraints[rule]);
}

export function contractValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    transform: true,
    exceptionFactory: (errors) => {
      const typeMessages = errors.flatMap(jsonTypeMessages);
      if (typeMessages.length > 0) return new BadRequestException(typeMessages.join('; '));
      const messages = errors.flatMap((error) => Object.values(error.constraints ?? {}));
      return new UnprocessableEntityException(messages.join('; '));
    },
  });
}

/** Text PostgreSQL can store: no U+0000 and no unpaired surrogate. */
export function IsStorableText(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isStorableText',
      validator: {
        validate: (value) => typeof value === 'string' && !value.includes('\0') && value.isWellFormed(),
        defaultMessage: buildMessage((each) => `${each}$property must not hold U+0000 or an unpaired surrogate`),
      },
    },
    options,
  );
}

/** At most `max` characters, counted in code points (MaxLength counts differently). */
export function MaxCodePoints(max: number, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'maxCodePoints',
      constraints: [max],
      validator: {
        // A string never has more code points than UTF-16 units: count only when it could matter.
        validate: (value) => typeof value === 'string' && (value.length <= max || [...value].length <= max),
        defaultMessage: buildMessage((each) => `${each}$property must be at most $constraint1 characters`),
      },
    },
    options,
  );
}
