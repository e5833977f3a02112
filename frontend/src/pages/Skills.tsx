import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api } from '../api';
import { Banner, Confirm, Modal } from '../components/forms';
import { Card, PageHeader, PathText, Pill, QueryView } from '../components/ui';
import { when } from '../format';
import { get, queries } from '../queries';
import { SkillEditor } from './SkillEditor';

/** What AI clients' save_skill does (backend.SetSkillSaving). */
type SavingMode = 'on' | 'ask' | 'off';

/** Saved skills: code AI clients kept for later runs (save_skill), edited here. */
export function Skills() {
  const skills = useQuery(queries.skills);
  const client = useQueryClient();
  const [viewing, setViewing] = useState<string>();
  // The skill in the editor; '' is a new one.
  const [editing, setEditing] = useState<string>();
  const [removing, setRemoving] = useState<string>();
  const saving = useMutation({
    mutationFn: (mode: SavingMode) => get(api.setSkillSaving(mode)),
    onSuccess: (v) => client.setQueryData(queries.skills.queryKey, v),
  });
  const remove = useMutation({
    mutationFn: (name: string) => get(api.deleteSkill(name)),
    onSuccess: (v) => {
      client.setQueryData(queries.skills.queryKey, v);
      void client.invalidateQueries({ queryKey: ['activity'] });
    },
  });
  return (
    <>
      <PageHeader
        title="Skills"
        subtitle="TypeScript your AI clients saved for later runs. Code imports a skill as skills/name and runs it with its own permissions."
        actions={
          <>
            <button className="btn" onClick={() => void skills.refetch()}>
              Refresh
            </button>
            <button className="btn btn-primary" disabled={editing !== undefined} onClick={() => setEditing('')}>
              New skill
            </button>
          </>
        }
      />
      {remove.error && <Banner tone="bad">{remove.error.message}</Banner>}
      {saving.error && <Banner tone="bad">{saving.error.message}</Banner>}
      <QueryView what="Saved skills" query={skills}>
        {(v) => (
          <>
            {editing !== undefined && <SkillEditor key={editing} name={editing || undefined} onClose={() => setEditing(undefined)} />}
            <Card>
              <label className="inline-field">
                <span>AI clients saving skills</span>
                <select
                  className="input"
                  data-testid="skill-saving"
                  value={!v.saving ? 'off' : v.approval ? 'ask' : 'on'}
                  disabled={saving.isPending}
                  onChange={(e) => saving.mutate(e.target.value as SavingMode)}
                >
                  <option value="on">Allowed</option>
                  <option value="ask">Each save needs your approval</option>
                  <option value="off">Turned off</option>
                </select>
              </label>
              <p className="muted small">
                {!v.saving
                  ? 'AI clients cannot save skills; the saved ones can still be imported, and edited here.'
                  : v.approval
                    ? 'Before an AI client saves a skill, you are asked (or its client is), with the skill\'s source.'
                    : 'AI clients may save skills.'}{' '}
                The files are in <PathText path={v.folder} />.
              </p>
              {v.skills.length === 0 ? (
                <p className="muted">No skills are saved yet. An AI client saves one with the save_skill tool; New skill writes one here.</p>
              ) : (
                <table className="table" data-testid="skills">
                  <thead>
                    <tr>
                      <th scope="col">Skill</th>
                      <th scope="col">Exports</th>
                      <th scope="col">Saved</th>
                      <th scope="col">
                        <span className="visually-hidden">Actions</span>
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {v.skills.map((s) => (
                      <tr key={s.name}>
                        <td>
                          <div className="mono">{s.import}</div>
                          <div className="muted small">{s.description}</div>
                          {s.problem && <Pill tone="bad">{s.problem}</Pill>}
                        </td>
                        <td>
                          <ul className="plain-list">
                            {s.exports.map((e) => (
                              <li key={e.name} className="mono small" title={e.doc}>
                                {e.signature}
                              </li>
                            ))}
                          </ul>
                        </td>
                        <td className="small">{when(s.savedAt)}</td>
                        <td className="actions">
                          <button className="btn btn-small" onClick={() => setViewing(s.name)}>
                            View source
                          </button>
                          <button className="btn btn-small" disabled={editing !== undefined} onClick={() => setEditing(s.name)}>
                            Edit
                          </button>
                          <button className="btn btn-small btn-danger" disabled={remove.isPending} onClick={() => setRemoving(s.name)}>
                            Delete
                          </button>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </Card>
          </>
        )}
      </QueryView>
      {viewing && <SourceDialog name={viewing} onClose={() => setViewing(undefined)} />}
      {removing && (
        <Confirm
          title={`Delete ${removing}?`}
          confirm="Delete"
          danger
          onCancel={() => setRemoving(undefined)}
          onConfirm={() => {
            setRemoving(undefined);
            remove.mutate(removing);
          }}
        >
          <p>
            Code that imports <span className="mono">skills/{removing}</span> will fail from its next run on. A backup of the files is kept.
          </p>
        </Confirm>
      )}
    </>
  );
}

function SourceDialog(props: { name: string; onClose: () => void }) {
  const source = useQuery(queries.skillSource(props.name));
  return (
    <Modal
      title={`skills/${props.name}`}
      onClose={props.onClose}
      actions={
        <button className="btn" onClick={props.onClose}>
          Close
        </button>
      }
    >
      <QueryView what="The skill's source" query={source}>
        {(text) => (
          <pre className="output" data-testid="skill-source">
            {text}
          </pre>
        )}
      </QueryView>
    </Modal>
  );
}
