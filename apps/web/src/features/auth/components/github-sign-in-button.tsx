import { buttonVariants } from "@/components/ui/button.tsx";
import { API_BASE_URL } from "@/lib/api-client.ts";

/** A plain link: the GitHub flow is a full-page navigation through the API, which sets the cookies on return. */
export function GithubSignInButton() {
  return (
    <a href={`${API_BASE_URL}/auth/github`} className={buttonVariants({ variant: "secondary", className: "w-full" })}>
      Sign in with GitHub
    </a>
  );
}
