import type { Metadata } from "next";
import { ForgotPasswordForm } from "@/features/auth/password-reset-forms";

export const metadata: Metadata = { title: "Forgot password" };

export default function ForgotPasswordPage() {
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Reset your password</h1>
        <p className="mt-2 text-sm text-fg-muted">Enter your account&apos;s email and we&apos;ll send you a link to choose a new password.</p>
      </div>
      <ForgotPasswordForm />
    </>
  );
}
