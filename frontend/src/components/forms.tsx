import { useState, type ReactNode } from 'react';
import { copyText } from '../api';

/** A labelled form row; `locked` names the variable that overrides it. */
export function Field(props: { label: string; hint?: string; locked?: string; children: ReactNode }) {
  return (
    <div className={`field ${props.locked ? 'is-locked' : ''}`}>
      <div className="field-label">
        <span>{props.label}</span>
        {props.locked && (
          <span className="locked" title="Environment variables win over the settings file">
            set by {props.locked}
          </span>
        )}
      </div>
      <div className="field-body">{props.children}</div>
      {props.hint && <div className="field-hint">{props.hint}</div>}
    </div>
  );
}

/** Editable list of strings: chips with a remove button, and an input to add. */
export function ListEditor(props: {
  label: string;
  items: string[];
  placeholder: string;
  disabled?: boolean;
  onChange: (items: string[]) => void;
  extra?: ReactNode;
}) {
  const [text, setText] = useState('');
  const add = () => {
    const v = text.trim();
    if (v && !props.items.includes(v)) props.onChange([...props.items, v]);
    setText('');
  };
  return (
    <div className="list-editor">
      {props.items.length > 0 && (
        <ul className="tags">
          {props.items.map((i) => (
            <li key={i} className="mono">
              {i}
              {!props.disabled && (
                <button
                  className="tag-x"
                  aria-label={`Remove ${i}`}
                  onClick={() => props.onChange(props.items.filter((x) => x !== i))}
                >
                  ×
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {!props.disabled && (
        <div className="row-tight">
          <input
            className="input mono"
            value={text}
            placeholder={props.placeholder}
            aria-label={props.label}
            onChange={(e) => setText(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                add();
              }
            }}
          />
          <button className="btn btn-small" onClick={add} disabled={!text.trim()}>
            Add
          </button>
          {props.extra}
        </div>
      )}
    </div>
  );
}

/** A message strip: info, success or error. */
export function Banner(props: { tone: 'info' | 'ok' | 'bad'; children: ReactNode }) {
  return (
    <div className={`banner banner-${props.tone}`} role={props.tone === 'bad' ? 'alert' : 'status'}>
      {props.children}
    </div>
  );
}

/** A dialog over the page. */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode; actions: ReactNode }) {
  return (
    <div className="modal-backdrop" onClick={props.onClose}>
      <div className="modal" role="dialog" aria-label={props.title} onClick={(e) => e.stopPropagation()}>
        <h2>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">{props.actions}</div>
      </div>
    </div>
  );
}

/** Copies text (or what get() returns) and says so for a moment. */
export function CopyButton(props: { label: string; text?: string; get?: () => Promise<string | undefined> }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <button
      className="btn btn-small"
      onClick={async () => {
        const t = props.text ?? (await props.get?.());
        const ok = t !== undefined && (await copyText(t));
        setState(ok ? 'copied' : 'failed');
        setTimeout(() => setState('idle'), 1500);
      }}
    >
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Copy failed' : props.label}
    </button>
  );
}

/** Splits a comma/newline separated text into trimmed, non-empty entries. */
export function splitList(s: string): string[] {
  return s
    .split(/[\n,]/)
    .map((x) => x.trim())
    .filter((x) => x !== '');
}
