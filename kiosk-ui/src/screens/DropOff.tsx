/**
 * "Who is dropping off?" (DESIGN §16): on the children screen when the family has more than one
 * adult; the adult whose phone found the family is chosen to begin with (no tap for the usual case).
 */
import type { KioskHouseholdSummary } from '../../../contracts';
import { useI18n } from '../i18n';

/** The guardian whose number ends in the digits the parent typed (full number or last 4), if exactly one. */
export function lookupGuardian(household: KioskHouseholdSummary, digits: string | undefined): string | null {
  const typed = (digits ?? '').replace(/\D/g, '').slice(-4);
  if (typed.length < 4) return null;
  const matches = household.guardians.filter((g) => g.phoneMasked.replace(/\D/g, '').slice(-4) === typed);
  return matches.length === 1 ? matches[0]!.id : null;
}

export function DropOffChooser({
  household,
  value,
  onChange,
  disabled,
}: {
  household: KioskHouseholdSummary;
  value: string | null;
  onChange(guardianId: string): void;
  disabled?: boolean;
}) {
  const { t } = useI18n();
  if (household.guardians.length < 2) return null;
  return (
    <fieldset className="services-choice dropoff-choice">
      <legend>{t.whoDropsOff}</legend>
      {household.guardians.map((g) => (
        <button
          key={g.id}
          type="button"
          className={`chip${value === g.id ? ' chip-on' : ''}`}
          aria-pressed={value === g.id}
          disabled={disabled}
          onClick={() => onChange(g.id)}
        >
          {g.firstName}
        </button>
      ))}
    </fieldset>
  );
}
