import { Alert, Anchor, Button, Group, Paper, Stack, Stepper, Title } from '@mantine/core';
import { IconRefresh } from '@tabler/icons-react';
import { type FormEvent, useEffect, useMemo, useRef, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { ErrorAlert } from '../../../components/error-alert.js';
import { PageHeader } from '../../../components/page-header.js';
import { isApiError } from '../../../lib/api-client.js';
import { useCreateCsr } from '../api/create-csr.js';
import { useCountries } from '../api/get-countries.js';
import {
  type CsrFormField,
  type CsrFormValues,
  formFieldOf,
  fromSearchParams,
  toCreateBody,
  validateCsrForm,
} from '../lib/csr-form.js';
import { CsrCreatedPanel } from './csr-created-panel.js';
import { CsrKeyStep } from './csr-key-step.js';
import { CsrReviewStep, GeneratingProgress } from './csr-review-step.js';
import { CsrSubjectStep } from './csr-subject-step.js';

const STEP_TITLES = ['Subject', 'Key', 'Review', 'Download'];

/**
 * Each step opens with its heading. After the admin moves between steps, focus lands on it, so a screen
 * reader says where they are instead of staying silent on the "Next" button.
 */
function StepHeading({ step, focus }: { step: number; focus: boolean }) {
  const ref = useRef<HTMLHeadingElement>(null);
  // `step` too: React keeps one heading element from step to step (same place in the tree).
  // biome-ignore lint/correctness/useExhaustiveDependencies: step is the trigger, not a value read here
  useEffect(() => {
    if (focus) ref.current?.focus();
  }, [focus, step]);
  return (
    <Title order={2} size="h4" mb="md" tabIndex={-1} ref={ref} data-testid="wizard-step-heading">
      Step {step + 1} of {STEP_TITLES.length}: {STEP_TITLES[step]}
    </Title>
  );
}

const ALL_SHOWN: Record<CsrFormField, boolean> = {
  commonName: true,
  subjectAltNames: true,
  organization: true,
  organizationalUnit: true,
  locality: true,
  state: true,
  country: true,
};

/** /csrs/new — subject → key → review → download, prefilled from the address when renewing. */
export function CsrWizardPage() {
  const [params] = useSearchParams();
  const initial = useMemo(() => fromSearchParams(params), [params]);
  const [values, setValues] = useState<CsrFormValues>(initial.values);
  const [active, setActive] = useState(0);
  // Focus follows the steps only once the admin has moved; on arrival it stays at the top of the page.
  const [moved, setMoved] = useState(false);
  const [focusFirstError, setFocusFirstError] = useState(0);
  // A prefilled form shows its problems at once; an empty one only after the admin has been there.
  const [shown, setShown] = useState<Partial<Record<CsrFormField, boolean>>>(() =>
    Object.fromEntries(
      Object.entries(ALL_SHOWN).filter(([f]) => {
        const v = initial.values[f as CsrFormField];
        return Array.isArray(v) ? v.length > 0 : v !== '';
      }),
    ),
  );
  const [serverError, setServerError] = useState<{ field: CsrFormField; message: string } | null>(null);
  const countries = useCountries();
  const create = useCreateCsr();

  const codes = useMemo(
    () => (countries.data ? new Set(countries.data.items.map((c) => c.code)) : null),
    [countries.data],
  );
  const errors = validateCsrForm(values, codes ? (c) => codes.has(c) : null);
  // The server's verdict on a field stands until that field changes.
  if (serverError && !errors[serverError.field]) errors[serverError.field] = serverError.message;
  const subjectValid = Object.keys(errors).length === 0;
  const countryName = countries.data?.items.find((c) => c.code === values.country)?.name ?? null;

  const change = (patch: Partial<CsrFormValues>) => {
    setValues((v) => ({ ...v, ...patch }));
    if (serverError && serverError.field in patch) setServerError(null);
  };
  const show = (step: number) => {
    setMoved(true);
    setActive(step);
  };
  const showSubjectErrors = () => {
    setShown(ALL_SHOWN);
    show(0);
    setFocusFirstError((n) => n + 1);
  };
  const goTo = (step: number) => {
    if (step > 0 && !subjectValid) return showSubjectErrors();
    show(step);
  };
  // "Next" with a wrong field: the first one shown as invalid takes the focus, its message is read out.
  useEffect(() => {
    if (focusFirstError === 0) return;
    document.querySelector<HTMLElement>('[data-testid="csr-subject"] [aria-invalid="true"]')?.focus();
  }, [focusFirstError]);
  const generate = () => {
    create.mutate(toCreateBody(values, initial.renews), {
      onSuccess: () => show(3),
      onError: (error) => {
        const field = isApiError(error) ? formFieldOf(error.field) : null;
        if (field && isApiError(error)) {
          setServerError({ field, message: error.message });
          showSubjectErrors();
        }
      },
    });
  };
  const created = create.data;

  return (
    <>
      <PageHeader
        title="Generate CSR"
        description="Create a private key and a certificate signing request to send to your certificate authority."
      />
      {initial.renews ? (
        <Alert
          color="blue"
          variant="light"
          icon={<IconRefresh size={18} />}
          mb="md"
          data-testid="renew-banner"
        >
          Renewing certificate{' '}
          <Anchor component={Link} to={`/certificates/${initial.renews}`} inherit>
            #{initial.renews}
          </Anchor>
          . The fields are copied from it; a new key is generated, and the old certificate keeps working until
          you switch.
        </Alert>
      ) : null}
      <Paper
        withBorder
        radius="md"
        p="lg"
        component="form"
        noValidate
        // Enter in any field moves on: Next on the first steps, Generate on the review.
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (created || create.isPending) return;
          if (active < 2) goTo(active + 1);
          else generate();
        }}
      >
        <Stepper active={active} onStepClick={created ? undefined : goTo} allowNextStepsSelect={false}>
          <Stepper.Step label="Subject" description="Names and organization">
            <StepHeading step={0} focus={moved} />
            <CsrSubjectStep
              values={values}
              errors={errors}
              shown={shown}
              countries={countries.data?.items}
              onChange={change}
              onBlur={(f) => setShown((s) => ({ ...s, [f]: true }))}
            />
          </Stepper.Step>
          <Stepper.Step label="Key" description="Type and size">
            <StepHeading step={1} focus={moved} />
            <CsrKeyStep values={values} onChange={change} />
          </Stepper.Step>
          <Stepper.Step label="Review" description="Check and generate">
            <StepHeading step={2} focus={moved} />
            <Stack gap="md">
              <CsrReviewStep values={values} countryName={countryName} />
              {create.isPending ? <GeneratingProgress values={values} /> : null}
              {create.isError && !(isApiError(create.error) && formFieldOf(create.error.field)) ? (
                <ErrorAlert error={create.error} title="The CSR was not created" />
              ) : null}
            </Stack>
          </Stepper.Step>
          <Stepper.Step label="Download" description="server.csr and key">
            <StepHeading step={3} focus={moved} />
            {created ? <CsrCreatedPanel csr={created} /> : null}
          </Stepper.Step>
        </Stepper>
        {!created ? (
          <Group justify="space-between" mt="xl">
            <Button
              variant="default"
              disabled={active === 0 || create.isPending}
              onClick={() => show(active - 1)}
            >
              Back
            </Button>
            {active < 2 ? (
              <Button type="submit" data-testid="wizard-next">
                Next
              </Button>
            ) : (
              <Button type="submit" loading={create.isPending} data-testid="wizard-generate">
                Generate key and CSR
              </Button>
            )}
          </Group>
        ) : null}
      </Paper>
    </>
  );
}
