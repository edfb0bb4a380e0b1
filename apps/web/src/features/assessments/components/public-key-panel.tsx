import { Alert } from "@/components/ui/alert.tsx";
import { Button } from "@/components/ui/button.tsx";
import { Spinner } from "@/components/ui/spinner.tsx";
import { downloadText } from "@/lib/download-json.ts";
import { usePackPublicKey } from "../api/evidence-packs.ts";
import { Digest } from "./digest.tsx";

const KEY_FILE = "status-pack-signing-key.pem";

/** The instance's Ed25519 public key, to check a pack's signature offline with the verifier. */
export function PublicKeyPanel() {
  const keyQuery = usePackPublicKey();
  if (keyQuery.isPending) return <Spinner label="Loading the signing key" />;
  if (keyQuery.isError) return <Alert title="The signing key could not be loaded">{keyQuery.error.message}</Alert>;
  const key = keyQuery.data;
  return (
    <div className="space-y-2 text-sm">
      <div className="flex flex-wrap items-center gap-3">
        <Button variant="secondary" size="sm" onClick={() => downloadText(KEY_FILE, key.pem, "application/x-pem-file")}>
          Download the public key
        </Button>
        <Digest label="Key id" value={key.keyId} copyLabel="Copy the key id" />
      </div>
      <p className="text-zinc-600 dark:text-zinc-400">
        Packs are signed with this {key.algorithm} key. Check one offline, without the server:{" "}
        <code className="rounded bg-zinc-100 px-1 font-mono text-xs break-all dark:bg-zinc-800">
          npm run verify-pack -- pack.zip --public-key {KEY_FILE}
        </code>
      </p>
    </div>
  );
}
