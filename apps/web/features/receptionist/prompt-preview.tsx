import type { Agent } from "@voxanne/contracts";

/**
 * What the receptionist says first and the full instructions it gets, as the API rendered them for
 * the saved settings (`renderedPrompt`: the clinic's template or own prompt, with its facts). A
 * save updates it.
 */
export function PromptPreview({ agent }: { agent: Agent }) {
  const titleId = `prompt-preview-title-${agent.role}`;
  return (
    <section aria-labelledby={titleId} className="rounded-2xl border border-line bg-surface shadow-xs" data-testid="prompt-preview">
      <div className="border-b border-line px-5 py-4">
        <h2 id={titleId} className="text-base font-semibold">
          Preview
        </h2>
        <p className="mt-0.5 text-xs text-fg-subtle">
          As last saved{agent.systemPrompt === null ? ", from the template for your clinic" : ", with your own instructions"}.
        </p>
      </div>
      <div className="space-y-4 px-5 py-4">
        <div>
          <h3 className="text-xs font-medium tracking-wide text-fg-subtle uppercase">Callers hear first</h3>
          <p className="mt-1 text-sm text-fg" data-testid="preview-first-message">
            “{agent.firstMessage}”
          </p>
        </div>
        <div>
          <h3 className="text-xs font-medium tracking-wide text-fg-subtle uppercase">The receptionist is told</h3>
          {/* A scrolling box: focusable so keyboard users can scroll it, named for screen readers. */}
          <section
            aria-label="The receptionist's instructions"
            // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to be scrolled by keyboard
            tabIndex={0}
            className="mt-1 max-h-[28rem] overflow-auto rounded-lg border border-line bg-surface-muted p-3"
          >
            <pre className="font-mono text-xs leading-relaxed break-words whitespace-pre-wrap text-fg-muted" data-testid="rendered-prompt">
              {agent.renderedPrompt}
            </pre>
          </section>
        </div>
      </div>
    </section>
  );
}
