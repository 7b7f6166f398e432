/** The check-in flow's screens while a service is open: the welcome keypad to the finish screen. */
import type { Service } from '../../contracts';
import type { useCheckin } from './checkin';
import { DEFAULT_LANG, type Lang } from './i18n';
import type { FamilyLookup } from './lookup';
import type { KioskSession } from './session';
import type { View } from './view';
import { Start } from './screens/Start';
import { ChooseChildren, ChooseHousehold, NotFound, nextService } from './screens/Family';
import { AddChild, Register } from './screens/Register';
import { Done } from './screens/Done';
import { Photos } from './screens/Photos';
import { Volunteer } from './screens/Volunteer';
import { Reprinted } from './screens/Reprint';

export function OpenService({
  view,
  show,
  service,
  services,
  session,
  digits,
  setDigits,
  lookup,
  checkin,
  reset,
  lang,
  justRegistered,
  onRegistered,
}: {
  view: View;
  show(v: View): void;
  service: Service;
  services: Service[];
  session: KioskSession;
  digits: string;
  setDigits(d: string): void;
  lookup: FamilyLookup;
  checkin: ReturnType<typeof useCheckin>;
  /** back to the welcome screen, forgetting the family */
  reset(): void;
  lang: Lang;
  /** the family this kiosk registered just now: offered photos for safe pickup after its check-in */
  justRegistered: string | null;
  onRegistered(householdId: string): void;
}) {
  // a language the parent picked becomes the family's; the kiosk's default says nothing (a Spanish
  // family checking in on a kiosk left in English stays Spanish)
  const chosenLang = lang !== DEFAULT_LANG ? lang : undefined;
  switch (view.name) {
    case 'start':
      return (
        <Start
          digits={digits}
          setDigits={(d) => {
            setDigits(d);
            lookup.typed();
          }}
          onFind={() => void lookup.find()}
          onExpress={(code) => void lookup.express(code)}
          onRegister={() => show({ name: 'register' })}
          onVolunteer={() => show({ name: 'volunteer' })}
          busy={lookup.finding}
          error={lookup.findError}
        />
      );
    case 'volunteer':
      return <Volunteer serviceId={service.id} onFinish={reset} />;
    case 'households':
      return <ChooseHousehold households={view.households} onChoose={(h) => show({ name: 'children', household: h })} onBack={reset} />;
    case 'notFound':
      return (
        <NotFound
          digits={digits}
          onRetry={() => {
            setDigits('');
            show({ name: 'start' });
          }}
          onRegister={() => show({ name: 'register' })}
        />
      );
    case 'children':
      return (
        <ChooseChildren
          key={view.household.id}
          household={view.household}
          selected={view.selected}
          status={checkin.status}
          services={services}
          timezone={session.site.timezone}
          proof={view.proof}
          onReprint={(p) => void lookup.reprint(view.household, p)}
          reprintError={lookup.reprintError}
          onConfirm={(ids, serviceIds, precheckinIds, more) => checkin.start(serviceIds, view.household, ids, chosenLang, precheckinIds, more)}
          lookupDigits={digits}
          onRetryNow={() => void checkin.retryNow()}
          onBack={reset}
          // adding a child needs the code texted to the family's phone: with texts off the welcome desk adds them
          onAddChild={session.smsSending !== false ? () => show({ name: 'addChild', household: view.household }) : undefined}
        />
      );
    case 'addChild':
      return (
        <AddChild
          household={view.household}
          digits={digits}
          onCancel={() => show({ name: 'children', household: view.household })}
          // "Who is here today?" for the whole family, with only the child just added chosen
          onAdded={(h, childIds) => show({ name: 'children', household: h, selected: childIds })}
        />
      );
    case 'register':
      return (
        <Register
          digits={digits}
          textsOn={session.smsSending !== false}
          onCancel={reset}
          onRegistered={(h, childIds, proof) => {
            onRegistered(h.id);
            // exactly the children the parent entered: joining a family never checks in the rest of it (DESIGN §15)
            show({ name: 'children', household: h, selected: childIds, proof });
            checkin.start([nextService(services)!.id], h, childIds, undefined, undefined, { proof });
          }}
        />
      );
    case 'reprinted':
      return <Reprinted result={view.result} household={view.household} onFinish={reset} />;
    case 'done':
      return (
        <Done
          result={view.result}
          household={view.household}
          timezone={session.site.timezone}
          serviceName={service.name}
          checkedInAt={view.at}
          onFinish={reset}
          hasPrinter={!!session.kiosk.hasPrinter}
          footer={session.site.labelFooter ?? ''}
          smsSending={session.smsSending !== false}
          lang={lang}
          onPhotos={view.household.id === justRegistered ? () => show({ name: 'photos', household: view.household }) : undefined}
        />
      );
    case 'photos':
      return <Photos household={view.household} onFinish={reset} />;
  }
}
