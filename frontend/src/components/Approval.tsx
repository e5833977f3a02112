import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import { api, bound, type ApprovalQuestion, type SkillToSave } from '../api';
import { get, queries } from '../queries';
import { Modal } from './forms';

/**
 * Asks the person about a tool call that code wants to make, when the AI
 * client that ran the code cannot ask (or the code runs in the app): the
 * oldest waiting question, as a modal dialog with the four answers.
 */
export function ApprovalDialog() {
  const questions = useQuery({ ...queries.approvals, enabled: bound('Approvals') });
  const waiting = questions.data ?? [];
  if (waiting.length === 0) return null;
  return <Question key={waiting[0].id} q={waiting[0]} more={waiting.length - 1} />;
}

/**
 * One question. Escape and the backdrop do not close it: a question is
 * answered, or withdrawn when the code stops waiting. Deny, the safe
 * answer, has the focus.
 */
function Question(props: { q: ApprovalQuestion; more: number }) {
  const { q } = props;
  const client = useQueryClient();
  const answer = useMutation({
    mutationFn: (choice: string) => get(api.answerApproval(q.id, choice)),
    onSettled: () => void client.invalidateQueries({ queryKey: queries.approvals.queryKey }),
  });
  const deny = useRef<HTMLButtonElement>(null);
  useEffect(() => deny.current?.focus(), []);
  const who = q.client === 'playground' ? 'Code run in the Playground' : q.client ? `Code run by ${q.client}` : 'Code';
  const label = (c: string) => c.charAt(0).toUpperCase() + c.slice(1);
  return (
    <Modal
      title={q.skill ? 'Save this skill?' : 'Allow this tool call?'}
      onClose={() => undefined}
      actions={q.choices.map((c) => (
        <button
          key={c}
          ref={c === 'deny' ? deny : undefined}
          className={`btn ${c === 'deny' ? 'btn-danger-solid' : c === 'allow once' ? 'btn-primary' : ''}`}
          disabled={answer.isPending}
          onClick={() => answer.mutate(c)}
        >
          {label(c)}
        </button>
      ))}
    >
      {q.skill ? (
        <SkillBody skill={q.skill} client={q.client} why={q.why} />
      ) : (
        <>
          <p>
            {who} wants to call the tool <strong>{q.tool}</strong> of the MCP server <strong>{q.server}</strong>. It
            asks because of {q.why}.
          </p>
          <p>Arguments (secrets hidden):</p>
          <pre className="approval-args" data-testid="approval-args">
            {q.args}
          </pre>
        </>
      )}
      {props.more > 0 && <p>{props.more} more waiting after this one.</p>}
      {answer.isError && (
        <p className="inline-error" role="alert">
          {answer.error.message}
        </p>
      )}
    </Modal>
  );
}

/** What a skill save question shows: the skill, whether it replaces one, and its whole source. */
function SkillBody(props: { skill: SkillToSave; client: string; why: string }) {
  const { skill } = props;
  return (
    <>
      <p>
        {props.client || 'An AI client'} wants to save the skill <strong>{skill.name}</strong>, which later code run by
        any client can import as <span className="mono">skills/{skill.name}</span>.{' '}
        {skill.replaces
          ? 'It replaces the saved skill of that name (a backup of its files is kept).'
          : 'It is a new skill.'}{' '}
        It asks because of {props.why}.
      </p>
      <p>{skill.description}</p>
      <p>Source:</p>
      <pre className="approval-args" data-testid="approval-source">
        {skill.source}
      </pre>
    </>
  );
}
