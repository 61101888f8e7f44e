import "server-only";
import { button, esc, paragraph, shell, siteUrl, textShell, type Rendered } from "./layout";

// Account messages: password reset, address verification, and the notices that something
// changed on the account (sent so that the owner notices a change they did not make).

type Person = { name?: string };
const hello = (p: Person) => (p.name ? `Hello ${p.name},` : "Hello,");

export function passwordReset(p: Person & { minutes: number }, token: string): Rendered {
  const link = siteUrl(`/reset-password?token=${encodeURIComponent(token)}`);
  const title = "Choose a new password";
  const lines = [
    hello(p),
    "Someone (hopefully you) asked to reset the password of the Tessera account for this address. Use the link below to choose a new one.",
    `The link works once and for ${p.minutes} minutes. Choosing a new password signs every device out of your account.`,
    "If you did not ask for this, ignore this email: your password stays as it is.",
  ];
  return {
    subject: "Reset your Tessera password",
    html: shell({
      title,
      preheader: `Your password reset link (valid for ${p.minutes} minutes).`,
      body: [
        paragraph(esc(lines[0])),
        paragraph(esc(lines[1])),
        button(link, "Choose a new password"),
        paragraph(esc(lines[2])),
        paragraph(esc(lines[3])),
        linkFallback(link),
      ].join("\n"),
    }),
    text: textShell(title, [lines[0], lines[1], `Choose a new password: ${link}`, lines[2], lines[3]]),
  };
}

export function verifyEmail(p: Person & { change?: boolean; hours: number }, token: string): Rendered {
  const link = siteUrl(`/verify-email?token=${encodeURIComponent(token)}`);
  const title = p.change ? "Confirm your new email address" : "Confirm your email address";
  const lines = [
    hello(p),
    p.change
      ? "You asked to use this address for your Tessera account. Confirm it, and we will send your tickets and account messages here from then on."
      : "Please confirm that this address is yours. Confirming also adds any tickets you bought here as a guest to your account.",
    `The link works once and for ${p.hours} hours. If you did not ask for this, ignore this email.`,
  ];
  return {
    subject: p.change ? "Confirm your new email address for Tessera" : "Confirm your email address for Tessera",
    html: shell({
      title,
      preheader: "One click to confirm your address.",
      body: [paragraph(esc(lines[0])), paragraph(esc(lines[1])), button(link, "Confirm this address"), paragraph(esc(lines[2])), linkFallback(link)].join("\n"),
    }),
    text: textShell(title, [lines[0], lines[1], `Confirm this address: ${link}`, lines[2]]),
  };
}

export function emailChanged(p: Person & { newEmail: string }): Rendered {
  const title = "Your email address was changed";
  const reset = siteUrl("/forgot-password");
  const lines = [
    hello(p),
    `The email address of your Tessera account was changed to ${p.newEmail}. From now on we write to that address.`,
    "If you did not make this change, someone may have access to your account: reply to this email at once, and reset your password.",
  ];
  return {
    subject: "Your Tessera email address was changed",
    html: shell({
      title,
      preheader: lines[1],
      body: lines.map((l) => paragraph(esc(l))).join("\n") + paragraph(`<a href="${esc(reset)}" style="color:#3730a3">Reset your password</a>`),
    }),
    text: textShell(title, [...lines, `Reset your password: ${reset}`]),
  };
}

export function passwordChanged(p: Person): Rendered {
  const title = "Your password was changed";
  const reset = siteUrl("/forgot-password");
  const lines = [
    hello(p),
    "The password of your Tessera account was just changed, and every other device was signed out.",
    "If this was not you, reset your password now and reply to this email.",
  ];
  return {
    subject: "Your Tessera password was changed",
    html: shell({
      title,
      preheader: lines[1],
      body: lines.map((l) => paragraph(esc(l))).join("\n") + paragraph(`<a href="${esc(reset)}" style="color:#3730a3">Reset your password</a>`),
    }),
    text: textShell(title, [...lines, `Reset your password: ${reset}`]),
  };
}

function linkFallback(link: string): string {
  return paragraph(
    `<span style="font-size:13px;color:#475569">If the button does not work, copy this address into your browser:<br><a href="${esc(link)}" style="color:#3730a3;word-break:break-all">${esc(link)}</a></span>`,
  );
}
