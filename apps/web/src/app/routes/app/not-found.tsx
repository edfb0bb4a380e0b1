import { Link } from "react-router";
import { PageHeader } from "@/components/layout/page-header.tsx";

export function NotFoundRoute() {
  return (
    <>
      <title>Page not found · STATUS</title>
      <PageHeader title="Page not found" description="There is nothing at this address." />
      <Link to="/" className="text-indigo-700 underline dark:text-indigo-300">
        Go to overview
      </Link>
    </>
  );
}
