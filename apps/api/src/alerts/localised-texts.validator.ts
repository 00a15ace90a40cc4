import { ValidateBy, type ValidationOptions } from 'class-validator';
import { isTextPair } from '@bousai/domain';

function isLocalisedTexts(value: unknown): boolean {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  return Object.values(value).every(isTextPair);
}

/**
 * The shape of `{ [language]: { title, body } }`: each language an object of two strings. Only the shape; what
 * the texts must say (languages, lengths) is decided where alerts are validated.
 */
export function IsLocalisedTexts(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isLocalisedTexts',
      validator: {
        validate: isLocalisedTexts,
        defaultMessage: () => '$property must be { [language]: { title: string, body: string } }',
      },
    },
    options,
  );
}
