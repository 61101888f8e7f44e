import { startTransition, type FormEvent } from "react";

// A <form action> submission makes React reset the form afterwards. These forms hold editor
// state (sections, venue kind, local date-times) in React, and a reset would put the DOM's
// radios and selects back to their first values while the state says otherwise. Submitting by
// hand keeps every input exactly as typed, whatever the server answers.
export function keepInputs(dispatch: (formData: FormData) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formData = new FormData(e.currentTarget);
    startTransition(() => dispatch(formData));
  };
}
