import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useState } from 'react';
import { api, type SkillDraft, type SkillProblem } from '../api';
import type { Marker } from '../components/CodeEditor';
import { Banner, Confirm, Field } from '../components/forms';
import { Card, QueryView } from '../components/ui';
import { get, queries } from '../queries';

// The editor (CodeMirror) is loaded when a skill is first opened.
const CodeEditor = lazy(() => import('../components/CodeEditor').then((m) => ({ default: m.CodeEditor })));

const newSkill: SkillDraft = {
  name: '',
  description: '',
  source: '/** What it does. */\nexport function run(input: string): string {\n  return input;\n}\n',
  revision: '',
};

/**
 * Edits one skill (name given) or a new one. The skill is read once when
 * the editor opens: what the backend saves over is that revision, so a
 * save the model made meanwhile is never overwritten unseen.
 */
export function SkillEditor(props: { name?: string; onClose: () => void }) {
  const opened = useQuery({
    queryKey: ['skillDraft', props.name ?? ''],
    queryFn: () => (props.name ? get(api.openSkill(props.name)) : Promise.resolve(newSkill)),
    // The form's base stays what was opened until the person reloads it.
    staleTime: Infinity,
    gcTime: 0,
    refetchOnWindowFocus: false,
  });
  if (opened.status !== 'success') {
    return (
      <Card title={props.name ? `Edit skills/${props.name}` : 'New skill'} className="editor">
        <QueryView what="The skill" query={opened}>
          {() => null}
        </QueryView>
      </Card>
    );
  }
  return <SkillForm opened={opened.data} onClose={props.onClose} />;
}

function SkillForm(props: { opened: SkillDraft; onClose: () => void }) {
  const client = useQueryClient();
  // base is the skill on disk as last read or saved; draft is the form.
  const [base, setBase] = useState(props.opened);
  const [draft, setDraft] = useState(props.opened);
  // The editor owns its text: a new key gives it the draft's again.
  const [editorKey, setEditorKey] = useState(0);
  const [saved, setSaved] = useState<string>();
  const [problem, setProblem] = useState<SkillProblem>();
  const [jump, setJump] = useState(0);
  const [closing, setClosing] = useState(false);
  const isNew = base.revision === '';
  const dirty = draft.name !== base.name || draft.description !== base.description || draft.source !== base.source;
  // A message is about the form as it was: any edit clears it.
  const edit = (next: SkillDraft) => {
    setDraft(next);
    setSaved(undefined);
    setProblem(undefined);
  };
  const reset = (to: SkillDraft) => {
    setBase(to);
    setDraft(to);
    setEditorKey((k) => k + 1);
    setProblem(undefined);
  };

  const saving = useMutation({
    mutationFn: (d: SkillDraft) => get(api.saveSkill(d)),
    onSuccess: (r) => {
      if (r.problem || !r.saved || !r.view) {
        setProblem(r.problem ?? { message: 'The skill was not saved.', line: 0, column: 0, changed: false });
        if (r.problem?.line) setJump((j) => j + 1);
        return;
      }
      setSaved(
        base.revision === ''
          ? `Saved. Code imports it as skills/${r.saved.name}.`
          : `Saved. The next run that imports skills/${r.saved.name} uses this version; the one it replaced is kept as a backup.`,
      );
      setBase(r.saved);
      setDraft(r.saved);
      client.setQueryData(queries.skills.queryKey, r.view);
      void client.invalidateQueries({ queryKey: ['skills', 'source', r.saved.name] });
      void client.invalidateQueries({ queryKey: ['activity'] });
    },
  });
  const reloading = useMutation({
    mutationFn: (name: string) => get(api.openSkill(name)),
    onSuccess: (d) => {
      reset(d);
      setSaved(undefined);
    },
  });
  const busy = saving.isPending || reloading.isPending;
  const save = () => {
    if (!busy) saving.mutate(draft);
  };
  const close = () => (dirty ? setClosing(true) : props.onClose());
  const marker: Marker | undefined = problem?.line ? { line: problem.line, column: problem.column, message: problem.message } : undefined;

  return (
    <Card title={isNew ? 'New skill' : `Edit skills/${base.name}`} className="editor">
      <div className="skill-form" data-testid="skill-editor">
        <div className="form-grid">
          {isNew && (
            <Field label="Name" hint="Lower-case letters, digits, - and _, starting with a letter. Code imports it as skills/name.">
              <input className="input mono" aria-label="Skill name" value={draft.name} onChange={(e) => edit({ ...draft, name: e.target.value })} />
            </Field>
          )}
          <Field label="Description" hint="What the skill does, in a sentence. AI clients read it in list_skills.">
            <input className="input" aria-label="Skill description" value={draft.description} onChange={(e) => edit({ ...draft, description: e.target.value })} />
          </Field>
        </div>
        <Suspense fallback={<div className="code-editor state state-loading">Loading the editor…</div>}>
          <CodeEditor
            key={editorKey}
            label="Skill source"
            value={draft.source}
            onChange={(source) => edit({ ...draft, source })}
            onRun={save}
            marker={marker}
            jump={jump}
            placeholder="Type TypeScript that exports functions: export function name(...) { ... }"
          />
        </Suspense>
        <p className="muted small">TypeScript that exports at least one function. Deno checks it before it is saved. Ctrl+Enter saves.</p>
        {problem && (
          <div className="banner banner-bad" role="alert" data-testid="skill-problem">
            {/* Deno's excerpt of the source, under its first line, keeps its lines. */}
            <span>{problem.message.split('\n')[0]}</span>{' '}
            {marker && (
              <button className="btn btn-small" onClick={() => setJump((j) => j + 1)}>
                Show line {marker.line}, column {marker.column}
              </button>
            )}
            {problem.changed && !isNew && (
              <button className="btn btn-small" disabled={busy} onClick={() => reloading.mutate(base.name)}>
                Reload the saved skill
              </button>
            )}
            {problem.message.includes('\n') && (
              <pre className="output output-error" data-testid="skill-problem-excerpt">
                {problem.message.slice(problem.message.indexOf('\n') + 1)}
              </pre>
            )}
          </div>
        )}
        {saving.error && <Banner tone="bad">{saving.error.message}</Banner>}
        {reloading.error && <Banner tone="bad">{reloading.error.message}</Banner>}
        {saved && !dirty && <Banner tone="ok">{saved}</Banner>}
        <div className="row-tight editor-actions">
          {dirty && !problem && (
            <span className="muted small" role="status">
              Unsaved changes
            </span>
          )}
          <span className="grow" />
          <button className="btn" onClick={close}>
            Close
          </button>
          <button
            className="btn"
            disabled={!dirty || busy}
            onClick={() => {
              reset(base);
              setSaved(undefined);
            }}
          >
            Discard changes
          </button>
          <button className="btn btn-primary" disabled={!dirty || busy} onClick={save}>
            {saving.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
        {closing && (
          <Confirm
            title="Close without saving?"
            confirm="Discard and close"
            danger
            onCancel={() => setClosing(false)}
            onConfirm={() => {
              setClosing(false);
              props.onClose();
            }}
          >
            <p>Your changes to this skill are not saved. Closing discards them.</p>
          </Confirm>
        )}
      </div>
    </Card>
  );
}
