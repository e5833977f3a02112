// The Playground's code editor: CodeMirror 6 with TypeScript highlighting,
// Tab to indent, bracket matching and closing, and the position of an
// error marked in the code.
import { useEffect, useEffectEvent, useRef, useState } from 'react';
import { autocompletion, closeBrackets, closeBracketsKeymap } from '@codemirror/autocomplete';
import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { javascript } from '@codemirror/lang-javascript';
import {
  bracketMatching,
  defaultHighlightStyle,
  HighlightStyle,
  indentOnInput,
  syntaxHighlighting,
} from '@codemirror/language';
import { lintGutter, setDiagnostics } from '@codemirror/lint';
import { EditorState } from '@codemirror/state';
import { drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers, placeholder } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import type { CodePosition } from '../format';

/** An error to mark: where, and what it says. */
export interface Marker extends CodePosition {
  message: string;
}

// Token colours that read on both schemes (AA on the editor's background),
// through the page's own variables.
const highlight = HighlightStyle.define([
  { tag: tags.keyword, color: 'var(--code-keyword)' },
  { tag: [tags.string, tags.special(tags.string)], color: 'var(--code-string)' },
  { tag: [tags.number, tags.bool, tags.null], color: 'var(--code-number)' },
  { tag: [tags.comment, tags.lineComment, tags.blockComment], color: 'var(--code-comment)', fontStyle: 'italic' },
  { tag: [tags.function(tags.variableName), tags.function(tags.propertyName)], color: 'var(--code-function)' },
  { tag: [tags.typeName, tags.className], color: 'var(--code-type)' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '13px', backgroundColor: 'var(--bg)', color: 'var(--text)' },
  '.cm-content': { fontFamily: 'var(--mono)', caretColor: 'var(--text)', padding: '10px 0' },
  '.cm-gutters': { backgroundColor: 'var(--bg)', color: 'var(--muted)', border: 'none' },
  '.cm-activeLine': { backgroundColor: 'color-mix(in srgb, var(--text) 4%, transparent)' },
  '&.cm-focused .cm-selectionBackground, .cm-selectionBackground, ::selection': {
    backgroundColor: 'color-mix(in srgb, var(--accent) 28%, transparent) !important',
  },
  '.cm-cursor': { borderLeftColor: 'var(--text)' },
  '.cm-placeholder': { color: 'var(--muted)', fontStyle: 'italic' },
});

/** Turns a 1-based line and column into an offset in the document. */
function offsetOf(state: EditorState, pos: CodePosition): number {
  const line = state.doc.line(Math.min(Math.max(pos.line, 1), state.doc.lines));
  return Math.min(line.from + Math.max(pos.column - 1, 0), line.to);
}

/** The editor. value is read once and then owned by the editor; onChange reports edits. */
export function CodeEditor(props: {
  label: string;
  value: string;
  onChange: (code: string) => void;
  onRun: () => void;
  marker?: Marker;
  /** Moves the cursor to the marker when this changes. */
  jump?: number;
  /** TypeScript (highlighted, the default) or Python (plain text); read once. */
  language?: 'javascript' | 'python';
  /** What the empty editor says; read once. */
  placeholder?: string;
}) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView>(null);
  // The editor owns its text after the first render, and its label never changes.
  const [doc] = useState(props.value);
  const [label] = useState(props.label);
  const [python] = useState(props.language === 'python');
  const [hint] = useState(props.placeholder);
  // The editor's key and update handlers call the latest props.
  const onRun = useEffectEvent(() => props.onRun());
  const onChange = useEffectEvent((code: string) => props.onChange(code));

  useEffect(() => {
    const v = new EditorView({
      parent: host.current!,
      state: EditorState.create({
        doc,
        extensions: [
          lineNumbers(),
          history(),
          drawSelection(),
          highlightActiveLine(),
          indentOnInput(),
          bracketMatching(),
          closeBrackets(),
          autocompletion({ activateOnTyping: false }),
          lintGutter(),
          python ? [] : javascript({ typescript: true }),
          syntaxHighlighting(highlight),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          placeholder(hint ?? `Type ${python ? 'Python' : 'TypeScript'} here; the last expression is the result.`),
          keymap.of([
            {
              key: 'Mod-Enter',
              run: () => {
                onRun();
                return true;
              },
            },
            ...closeBracketsKeymap,
            ...defaultKeymap,
            ...historyKeymap,
            indentWithTab,
          ]),
          EditorView.contentAttributes.of({ 'aria-label': label, 'aria-multiline': 'true' }),
          EditorView.updateListener.of((u) => {
            if (u.docChanged) onChange(u.state.doc.toString());
          }),
          theme,
        ],
      }),
    });
    view.current = v;
    return () => v.destroy();
  }, [doc, label, python, hint]);

  // The error's position, marked in the gutter and under the code.
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const m = props.marker;
    if (!m) {
      v.dispatch(setDiagnostics(v.state, []));
      return;
    }
    // The word at the position (or one character) is underlined.
    const from = offsetOf(v.state, m);
    const word = v.state.wordAt(from);
    const to = word?.from === from ? word.to : Math.min(from + 1, v.state.doc.lineAt(from).to);
    v.dispatch(setDiagnostics(v.state, [{ from, to, severity: 'error', message: m.message }]));
  }, [props.marker]);

  // Only a new jump moves the cursor, not a new marker.
  const jumpToMarker = useEffectEvent(() => {
    const v = view.current;
    const m = props.marker;
    if (!v || !m) return;
    v.dispatch({ selection: { anchor: offsetOf(v.state, m) }, scrollIntoView: true });
    v.focus();
  });
  useEffect(() => {
    if (props.jump) jumpToMarker();
  }, [props.jump]);

  return <div className="code-editor" ref={host} data-testid="code-editor" />;
}
