// SubmitButton (components/ui/button.tsx) spreads its props after its own pending state, so an
// explicit disabled={false} would switch off its double-submit guard: pass `disabled` only
// when it is true.
export const disabledWhen = (cond: boolean) => (cond ? { disabled: true as const } : {});
