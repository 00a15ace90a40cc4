import { useI18n } from '../i18n';
import { codeOf } from './Enrol';

/** The one-tap safety answers (the holder's own, or a household member's) and what went wrong with the last one. */
export function AnswerButtons<A extends string>(props: {
  values: readonly A[];
  current: string | null | undefined;
  pending: boolean;
  error: unknown;
  onAnswer: (value: A) => void;
  /** a fuller name for a screen reader when the buttons answer for someone else */
  ariaLabel?: (value: A) => string;
}) {
  const { t, label } = useI18n();
  return (
    <>
      <div className="answers">
        {props.values.map((value) => (
          <button
            key={value}
            type="button"
            className={`answer answer-${value}`}
            aria-pressed={props.current === value}
            aria-label={props.ariaLabel?.(value)}
            disabled={props.pending}
            onClick={() => props.onAnswer(value)}
          >
            {label('answer', value)}
          </button>
        ))}
      </div>
      {props.error ? (
        <p role="alert" className="error">
          {t('answerFailed', { code: codeOf(props.error) })}
        </p>
      ) : null}
    </>
  );
}
