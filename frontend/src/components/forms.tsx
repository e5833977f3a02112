import { useEffect, useRef, useState, type ReactNode } from 'react';
import { copyText } from '../api';

let nextId = 0;

/** A labelled form row; `locked` names the variable that overrides it. */
export function Field(props: { label: string; hint?: ReactNode; locked?: string; children: ReactNode }) {
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

/**
 * Editable list of strings: chips with a remove button, and an input to add.
 * check, if given, judges an entry before it becomes a chip; its message
 * shows under the input and the text stays for correcting.
 */
export function ListEditor(props: {
  label: string;
  items: string[];
  placeholder: string;
  disabled?: boolean;
  onChange: (items: string[]) => void;
  check?: (value: string) => Promise<string | undefined>;
  extra?: ReactNode;
}) {
  const [text, setText] = useState('');
  const [problem, setProblem] = useState<string>();
  const [id] = useState(() => `list-${++nextId}`);
  const add = async () => {
    const v = text.trim();
    if (!v) return;
    if (props.items.includes(v)) {
      setProblem(`${v} is on the list already.`);
      return;
    }
    const why = await props.check?.(v);
    if (why) {
      setProblem(why);
      return;
    }
    props.onChange([...props.items, v]);
    setText('');
    setProblem(undefined);
  };
  return (
    <div className="list-editor">
      {props.items.length > 0 && (
        <ul className="tags">
          {props.items.map((i) => (
            <li key={i} className="mono">
              <span className="break-anywhere">{i}</span>
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
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? id : undefined}
            onChange={(e) => {
              setText(e.target.value);
              setProblem(undefined);
            }}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                void add();
              }
            }}
          />
          <button className="btn btn-small" onClick={() => void add()} disabled={!text.trim()}>
            Add
          </button>
          {props.extra}
        </div>
      )}
      {problem && (
        <div className="inline-error" id={id} role="alert">
          {problem}
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

/**
 * A modal dialog: the native <dialog> shown with showModal(), so the page
 * behind is inert, focus moves into it and returns to where it was, and
 * Escape (or a click on the backdrop) closes it through onClose.
 */
export function Modal(props: { title: string; onClose: () => void; children: ReactNode; actions: ReactNode }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [id] = useState(() => `dialog-${++nextId}`);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!d.open) d.showModal();
    return () => {
      if (d.open) d.close();
      if (opener?.isConnected) opener.focus();
    };
  }, []);
  return (
    // eslint-disable-next-line jsx-a11y/click-events-have-key-events, jsx-a11y/no-noninteractive-element-interactions -- its click is the backdrop's, the mouse's Escape; the keyboard's Escape is onCancel
    <dialog
      ref={ref}
      className="modal"
      aria-modal="true"
      aria-labelledby={id}
      onCancel={(e) => {
        e.preventDefault();
        props.onClose();
      }}
      // A click on the backdrop (the dialog itself, outside its content)
      // closes it; from the keyboard, Escape does (the cancel event above).
      onClick={(e) => {
        if (e.target === ref.current) props.onClose();
      }}
    >
      <div className="modal-inner">
        <h2 id={id}>{props.title}</h2>
        <div className="modal-body">{props.children}</div>
        <div className="modal-actions">{props.actions}</div>
      </div>
    </dialog>
  );
}

/** Asks before something that cannot be undone; Cancel has the focus. */
export function Confirm(props: {
  title: string;
  children: ReactNode;
  confirm: string;
  danger?: boolean;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal
      title={props.title}
      onClose={props.onCancel}
      actions={
        <>
          <button className="btn" onClick={props.onCancel}>
            Cancel
          </button>
          <button className={`btn ${props.danger ? 'btn-danger-solid' : 'btn-primary'}`} onClick={props.onConfirm}>
            {props.confirm}
          </button>
        </>
      }
    >
      {props.children}
    </Modal>
  );
}

/** Copies text (or what get() returns) and says so for a moment. */
export function CopyButton(props: { label: string; text?: string; get?: () => Promise<string | undefined> }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    const t = props.text ?? (await props.get?.());
    const ok = t !== undefined && (await copyText(t));
    setState(ok ? 'copied' : 'failed');
    setTimeout(() => setState('idle'), 1500);
  };
  return (
    <button
      className="btn btn-small"
      onClick={() => void copy()}
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
