import { EvidenceResultSchema, IdSchema, type EvidenceResult } from "@status/shared";
import { useCallback, useMemo } from "react";
import { useSearchParams } from "react-router";
import { patchSearchParams } from "@/lib/search-params.ts";

const COMPUTATION_PARAM = "computation";
const RESULT_PARAM = "evidence";

/** Which computation's evidence is open, and the result its evidence is filtered by; both in the URL. */
export function useEvidenceParams() {
  const [searchParams, setSearchParams] = useSearchParams();
  const computationId = useMemo(
    () => IdSchema.safeParse(searchParams.get(COMPUTATION_PARAM)).data ?? null,
    [searchParams],
  );
  const result = useMemo(() => EvidenceResultSchema.safeParse(searchParams.get(RESULT_PARAM)).data, [searchParams]);
  const openComputation = useCallback(
    (id: string | null) =>
      setSearchParams(
        (current) => patchSearchParams(current, { [COMPUTATION_PARAM]: id ?? undefined, [RESULT_PARAM]: undefined }),
        {
          replace: true,
          preventScrollReset: true,
        },
      ),
    [setSearchParams],
  );
  const setResult = useCallback(
    (value: EvidenceResult | undefined) =>
      setSearchParams((current) => patchSearchParams(current, { [RESULT_PARAM]: value }), {
        replace: true,
        preventScrollReset: true,
      }),
    [setSearchParams],
  );
  return { computationId, result, openComputation, setResult };
}
