import type { Point } from "@status/shared";
import { useState, type FormEvent } from "react";
import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Textarea } from "@/components/ui/input.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { formatDateTime } from "@/lib/format.ts";
import { useAcknowledgePoint, useAddComment, usePointComments } from "../api/point-handling.ts";
import { ExceptionForm } from "./exception-form.tsx";

interface HandlePanelProps {
  point: Point;
  /** DEVELOPER and above, on a control that is not archived. */
  canHandle: boolean;
  timeZone?: string | undefined;
  onHandled?: (() => void) | undefined;
}

function CommentThread({ point, canHandle, timeZone, onHandled }: HandlePanelProps) {
  const commentsQuery = usePointComments(point.id);
  const add = useAddComment(point, onHandled);
  const [body, setBody] = useState("");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate(body, { onSuccess: () => setBody("") });
  };
  return (
    <div className="space-y-3">
      <h4 className="text-sm font-semibold">Comments</h4>
      {commentsQuery.isPending && <Spinner size="sm" label="Loading comments" />}
      {commentsQuery.isError && <Alert>{commentsQuery.error.message}</Alert>}
      {commentsQuery.data?.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">No comments yet.</p>}
      <ol className="space-y-2" aria-label="Comments">
        {commentsQuery.data?.map((comment) => (
          <li key={comment.id} className="rounded-md border border-zinc-200 px-3 py-2 text-sm dark:border-zinc-800">
            <p className="text-xs text-zinc-500 dark:text-zinc-400">
              {comment.authorName} · {formatDateTime(comment.createdAt, timeZone)}
            </p>
            <p className="whitespace-pre-wrap">{comment.body}</p>
          </li>
        ))}
      </ol>
      {canHandle && (
        <form onSubmit={submit} className="space-y-2" aria-label="Add a comment">
          <Textarea
            aria-label="Comment"
            required
            maxLength={4000}
            value={body}
            onChange={(event) => setBody(event.target.value)}
          />
          {add.isError && <Alert>{add.error.message}</Alert>}
          <Button type="submit" size="sm" variant="secondary" isLoading={add.isPending}>
            Add comment
          </Button>
        </form>
      )}
    </div>
  );
}

/** Handling one failing point: its comment thread, Acknowledge, and an exception form while none is active. */
export function HandlePanel(props: HandlePanelProps) {
  const { point, canHandle, timeZone, onHandled } = props;
  const acknowledge = useAcknowledgePoint(point, onHandled);
  const { acknowledged, exception } = point.handling;
  return (
    <div className="grid gap-6 md:grid-cols-2">
      <CommentThread {...props} />
      <div className="space-y-4">
        <div className="space-y-2">
          <h4 className="text-sm font-semibold">Acknowledgement</h4>
          {acknowledged ? (
            <p className="text-sm">
              Acknowledged by {acknowledged.byName}, {formatDateTime(acknowledged.at, timeZone)}
            </p>
          ) : canHandle ? (
            <Button
              size="sm"
              variant="secondary"
              isLoading={acknowledge.isPending}
              onClick={() => acknowledge.mutate()}
            >
              Acknowledge
            </Button>
          ) : (
            <p className="text-sm text-zinc-600 dark:text-zinc-400">Not acknowledged yet.</p>
          )}
          {acknowledge.isError && <Alert>{acknowledge.error.message}</Alert>}
        </div>
        {canHandle && !exception?.isActive && <ExceptionForm point={point} timeZone={timeZone} onHandled={onHandled} />}
      </div>
    </div>
  );
}
