import type { AnchorHTMLAttributes, MouseEvent } from "react";
import { apiClient } from "@/lib/api-client.ts";

type SessionDownloadLinkProps = Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href" | "onClick" | "download"> & {
  href: string;
  /** The file name to save under, or true for the server's. */
  download?: string | boolean;
};

/**
 * A download the browser fetches itself (a streamed ZIP, a PDF), so it never passes through the API client that renews
 * an expired access cookie. Before following the link it makes one cheap authenticated request through that client,
 * which refreshes the session when needed; without this a page left open past the access cookie's life downloads a
 * 401 problem document instead of the file. Modified clicks (new tab, save as) keep the browser's own behaviour.
 */
export function SessionDownloadLink({ href, download, children, ...rest }: SessionDownloadLinkProps) {
  const onClick = async (event: MouseEvent<HTMLAnchorElement>) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    try {
      await apiClient.get("/auth/me");
    } catch {
      // The client has already sent the user to sign in when the session could not be renewed.
      return;
    }
    followLink(href, download);
  };
  return (
    <a href={href} download={download} onClick={(event) => void onClick(event)} {...rest}>
      {children}
    </a>
  );
}

/** Follows a link as a click on it would, keeping its download name. */
function followLink(href: string, download: string | boolean | undefined): void {
  const anchor = document.createElement("a");
  anchor.href = href;
  if (download !== undefined && download !== false) anchor.download = download === true ? "" : download;
  document.body.append(anchor);
  anchor.click();
  anchor.remove();
}
