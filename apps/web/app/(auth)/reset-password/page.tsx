import type { Metadata } from "next";
import { ResetPasswordForm } from "@/features/auth/password-reset-forms";

export const metadata: Metadata = { title: "Choose a new password" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function ResetPasswordPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Choose a new password</h1>
        <p className="mt-2 text-sm text-fg-muted">The link works once. Every device signed in to your account will be signed out.</p>
      </div>
      <ResetPasswordForm token={first(params.token) ?? ""} />
    </>
  );
}
