import { RefreshIcon } from "../icons";
import { Button } from "./button";

/** A page's data could not be loaded: what, why (`describeProblem`), and "Try again". */
export function LoadError({ title, message, onRetry }: { title: string; message: string; onRetry: () => void }) {
  return (
    <div role="alert" className="rounded-2xl border border-danger-line bg-danger-soft p-5 sm:p-6">
      <p className="font-semibold text-danger">{title}</p>
      <p className="mt-1 text-sm text-danger">{message}</p>
      <Button variant="secondary" size="sm" className="mt-4" onClick={onRetry}>
        <RefreshIcon className="size-4" />
        Try again
      </Button>
    </div>
  );
}
