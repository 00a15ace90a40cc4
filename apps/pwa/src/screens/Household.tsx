import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type Schemas, unwrap } from '../../../../libs/web-client/src';
import { useI18n } from '../i18n';
import { api } from '../resident';
import { AnswerButtons } from './AnswerButtons';

type Member = Schemas['HouseholdMemberSafetyDto'];
const MEMBER_ANSWERS = ['safe', 'need_help'] as const;

/**
 * 家族の安否: the other members of the household the alert asked, each with their answer and two one-tap answers
 * given on their behalf (the office sees who gave them). Nothing shows when the alert asked no one else.
 */
export function HouseholdSafety({ alertId }: { alertId: string }) {
  const { t } = useI18n();
  const members = useQuery({
    queryKey: ['household', alertId],
    queryFn: () =>
      unwrap(api.GET('/v1/resident/safety/{alertId}/household', { params: { path: { alertId } } })),
  });
  if (!members.data?.length) return null;
  return (
    <section className="household" aria-labelledby={`household-${alertId}`}>
      <h2 id={`household-${alertId}`}>{t('householdTitle')}</h2>
      <p className="muted">{t('householdIntro')}</p>
      <ul className="members">
        {members.data.map((m) => (
          <MemberAnswer key={m.residentId} alertId={alertId} member={m} />
        ))}
      </ul>
    </section>
  );
}

function MemberAnswer({ alertId, member }: { alertId: string; member: Member }) {
  const { t, label } = useI18n();
  const queries = useQueryClient();
  const answer = useMutation({
    mutationFn: (value: (typeof MEMBER_ANSWERS)[number]) =>
      unwrap(
        api.POST('/v1/resident/safety/{alertId}/household/{residentId}', {
          params: { path: { alertId, residentId: member.residentId } },
          body: { answer: value, via: 'pwa' },
        }),
      ),
    onSuccess: () => queries.invalidateQueries({ queryKey: ['household', alertId] }),
  });
  const current = member.currentStatus;
  const by = member.answeredByMe
    ? t('householdByMe')
    : member.answeredByName
      ? t('householdBy', { name: member.answeredByName })
      : undefined;
  return (
    <li className="member">
      <strong>{member.displayName}</strong>{' '}
      <span className={current ? 'ok' : 'muted'}>
        {current ? label('answer', current) : t('householdUnanswered')}
        {current && by ? `（${by}）` : ''}
      </span>
      <AnswerButtons
        values={MEMBER_ANSWERS}
        current={current}
        pending={answer.isPending}
        error={answer.error}
        onAnswer={(value) => answer.mutate(value)}
        ariaLabel={(value) =>
          t('householdAnswer', { name: member.displayName, answer: label('answer', value) })
        }
      />
    </li>
  );
}
