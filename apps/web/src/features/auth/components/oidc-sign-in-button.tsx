import { buttonVariants } from "@/components/ui/button.tsx";
import { API_BASE_URL } from "@/lib/api-client.ts";

/** A full-page navigation through the API to the organisation's identity provider, named as the server configures. */
export function OidcSignInButton({ providerName }: { providerName: string }) {
  return (
    <a href={`${API_BASE_URL}/auth/oidc`} className={buttonVariants({ variant: "secondary", className: "w-full" })}>
      Sign in with {providerName}
    </a>
  );
}
