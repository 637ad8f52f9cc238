import { useEffect, useState } from "react";
import { fetchBlob, usesBearerToken } from "../lib/api";
import type { Attachment } from "../lib/chat";
import { formatSize } from "../lib/labels";
import { Icon } from "../ui";

/**
 * With a cookie session the file URL works as it is (same origin). The widget authenticates with a token,
 * which an <img> or a link cannot send, so there the file is fetched and shown from a blob URL.
 */
function useFileUrl(url: string, eager: boolean): { src: string | null; failed: boolean } {
  const direct = !usesBearerToken();
  const [src, setSrc] = useState<string | null>(direct ? url : null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (direct || !eager) return;
    let objectUrl: string | null = null;
    let live = true;
    fetchBlob(url).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        if (live) setSrc(objectUrl);
      },
      () => live && setFailed(true),
    );
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [url, direct, eager]);
  return { src, failed };
}

async function downloadWithToken(file: Attachment): Promise<void> {
  const objectUrl = URL.createObjectURL(await fetchBlob(file.url));
  const a = document.createElement("a");
  a.href = objectUrl;
  a.download = file.name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(objectUrl), 10_000);
}

/** Images are served for display only when asked (?inline=1); everything else always downloads. */
function inlineUrl(url: string): string {
  return `${url}${url.includes("?") ? "&" : "?"}inline=1`;
}

function ImagePreview({ file }: { file: Attachment }) {
  const { src, failed } = useFileUrl(inlineUrl(file.url), true);
  if (failed) return <FileLink file={file} />;
  return (
    <a href={src ?? undefined} target="_blank" rel="noreferrer" className="chat-image-link">
      {src ? (
        <img
          src={src}
          alt={file.name}
          loading="lazy"
          className="chat-image"
          data-testid={`attachment-image-${file.id}`}
        />
      ) : (
        <span className="chat-image chat-image-loading">{file.name}</span>
      )}
    </a>
  );
}

function FileLink({ file }: { file: Attachment }) {
  const bearer = usesBearerToken();
  return (
    <a
      href={file.url}
      download={file.name}
      className="chat-file"
      data-testid={`attachment-link-${file.id}`}
      onClick={(e) => {
        if (!bearer) return;
        e.preventDefault();
        void downloadWithToken(file).catch(() => {});
      }}
    >
      <Icon name="paperclip" size={14} /> {file.name} <span className="muted">({formatSize(file.size)})</span>
    </a>
  );
}

export function AttachmentView({ file }: { file: Attachment }) {
  return file.mime.startsWith("image/") ? <ImagePreview file={file} /> : <FileLink file={file} />;
}
