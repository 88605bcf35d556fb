import type { Metadata } from "next";
import { SignInForm } from "@/features/auth/signin-form";

export const metadata: Metadata = { title: "Sign in" };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;

const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);

export default async function SignInPage({ searchParams }: { searchParams: SearchParams }) {
  const params = await searchParams;
  return (
    <>
      <div className="mb-8">
        <h1 className="text-2xl font-semibold tracking-tight">Sign in to your clinic</h1>
        <p className="mt-2 text-sm text-fg-muted">Welcome back. Enter the email and password you signed up with.</p>
      </div>
      <SignInForm next={first(params.next)} initialEmail={first(params.email)} />
    </>
  );
}
