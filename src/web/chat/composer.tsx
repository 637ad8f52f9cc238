import { type FormEvent, type KeyboardEvent, useId, useLayoutEffect, useRef, useState } from "react";
import { errorMessage, uploadFile } from "../lib/api";
import type { Attachment, UploadedFile } from "../lib/chat";
import { Button, Checkbox, Icon, useToast } from "../ui";
import { useSnippetMenu } from "./snippets";

export interface ComposerProps {
  onSend: (text: string, attachments: Attachment[], internal: boolean) => void;
  /** Every keystroke of a message the other side may see. */
  onTyping: () => void;
  onStopTyping: () => void;
  /** Staff with chats.internal get the note switch. */
  allowInternal?: boolean;
  compact?: boolean;
  placeholder?: string;
}

export function Composer({
  onSend,
  onTyping,
  onStopTyping,
  allowInternal,
  compact,
  placeholder,
}: ComposerProps) {
  const toast = useToast();
  const inputId = useId();
  const fileInput = useRef<HTMLInputElement>(null);
  const input = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState("");
  const [caret, setCaret] = useState(0);
  /** Where the caret goes once the text a snippet produced is on screen. */
  const pendingCaret = useRef<number | null>(null);
  const [internal, setInternal] = useState(false);
  const [files, setFiles] = useState<UploadedFile[]>([]);
  const [uploading, setUploading] = useState(0);
  const note = allowInternal && internal;

  // Staff only: the console provides what snippets are filled in with; elsewhere this offers nothing.
  const snippets = useSnippetMenu({
    text,
    caret,
    apply: (next, at) => {
      pendingCaret.current = at;
      setText(next);
      setCaret(at);
      if (!note && next) onTyping();
    },
  });
  useLayoutEffect(() => {
    const el = input.current;
    if (el && pendingCaret.current !== null && el.value === text) {
      el.focus();
      el.setSelectionRange(pendingCaret.current, pendingCaret.current);
      pendingCaret.current = null;
    }
  }, [text]);

  const upload = async (list: FileList | null) => {
    for (const file of Array.from(list ?? [])) {
      setUploading((n) => n + 1);
      try {
        const uploaded = await uploadFile<UploadedFile>("/uploads", file);
        setFiles((all) => [...all, uploaded]);
      } catch (err) {
        toast(`${file.name}: ${errorMessage(err)}`, "error");
      } finally {
        setUploading((n) => n - 1);
      }
    }
    if (fileInput.current) fileInput.current.value = "";
  };

  const submit = (event?: FormEvent) => {
    event?.preventDefault();
    const body = text.trim();
    if ((!body && !files.length) || uploading) return;
    onSend(body, files, internal);
    onStopTyping();
    setText("");
    setCaret(0);
    setFiles([]);
  };

  // Enter sends, Shift+Enter starts a new line, as in every chat people already use.
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (snippets.onKeyDown(event)) return;
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) submit(event);
  };

  return (
    <form
      className={["chat-composer", note && "chat-composer-note", compact && "chat-composer-compact"]
        .filter(Boolean)
        .join(" ")}
      onSubmit={submit}
      data-testid="composer"
    >
      <label htmlFor={inputId} className="visually-hidden">
        {note ? "Internal note" : "Message"}
      </label>
      {snippets.menu}
      <textarea
        ref={input}
        id={inputId}
        className="input chat-input"
        rows={compact ? 2 : 3}
        value={text}
        placeholder={note ? "Internal note: only staff will see this" : (placeholder ?? "Write a message…")}
        maxLength={10_000}
        onChange={(e) => {
          setText(e.target.value);
          setCaret(e.target.selectionStart);
          // A note is for colleagues: telling the customer someone is typing would announce a reply that never comes.
          if (!note && e.target.value) onTyping();
        }}
        onSelect={(e) => setCaret(e.currentTarget.selectionStart)}
        onKeyDown={onKeyDown}
        {...snippets.inputProps}
        data-testid="composer-input"
      />
      {files.length > 0 && (
        <ul className="chat-uploads" aria-label="Files to send">
          {files.map((f) => (
            <li key={f.id} className="chat-upload" data-testid={`composer-file-${f.id}`}>
              <Icon name="paperclip" size={14} /> {f.name}
              <Button
                size="sm"
                variant="ghost"
                aria-label={`Remove ${f.name}`}
                onClick={() => setFiles((all) => all.filter((x) => x.id !== f.id))}
                data-testid={`composer-file-remove-${f.id}`}
              >
                ×
              </Button>
            </li>
          ))}
        </ul>
      )}
      <div className="chat-composer-bar">
        <input
          ref={fileInput}
          type="file"
          multiple
          hidden
          onChange={(e) => void upload(e.target.files)}
          data-testid="composer-file-input"
        />
        <Button
          size="sm"
          variant="ghost"
          busy={uploading > 0}
          onClick={() => fileInput.current?.click()}
          aria-label="Attach a file"
          title="Attach a file"
          data-testid="composer-attach"
        >
          <Icon name="paperclip" />
          {!compact && (uploading ? "Uploading…" : "Attach")}
        </Button>
        {allowInternal && (
          <Checkbox
            label="Internal note"
            checked={internal}
            onChange={(e) => {
              setInternal(e.target.checked);
              if (e.target.checked) onStopTyping();
            }}
            data-testid="composer-internal"
          />
        )}
        <span className="spacer" />
        <Button
          type="submit"
          variant="primary"
          size="sm"
          disabled={(!text.trim() && !files.length) || uploading > 0}
          data-testid="composer-send"
        >
          {note ? "Add note" : "Send"}
        </Button>
      </div>
    </form>
  );
}
