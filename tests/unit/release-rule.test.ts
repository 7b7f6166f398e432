/** The one release decision (contracts/rules/release.ts) the server and both pickup screens use. */
import { decideRelease } from '../../contracts/rules';

const people = [
  { id: 'g1', name: 'Pat Rivera' },
  { id: 'p1', name: 'Grandma Jo' },
  { id: 'g2', name: 'Jordan Kim' },
];
const custodyAlerts = [{ name: 'Jordan Kim' }];

test('a listed adult picked from the list is released; the id must be on the list', () => {
  expect(decideRelease({ people, personId: 'p1', custodyAlerts })).toEqual(
    expect.objectContaining({ verdict: 'release', name: 'Grandma Jo', notOnList: false }),
  );
  expect(decideRelease({ people, personId: 'nope', custodyAlerts })).toEqual(expect.objectContaining({ verdict: 'stop', unknownPerson: true }));
});

test('a typed name that is a listed name (folded, any order) counts as that person', () => {
  const d = decideRelease({ people, typed: '  rivera PÁT ', custodyAlerts });
  expect(d.person).toEqual(people[0]);
  expect(d.verdict).toBe('release');
});

test('the custody alert wins over the list: a listed adult named in an alert is stopped, whatever the override', () => {
  expect(decideRelease({ people, personId: 'g2', custodyAlerts })).toEqual(
    expect.objectContaining({ verdict: 'stop', custody: { match: 'full', alert: custodyAlerts[0] } }),
  );
  // the typed name is checked too, not only the listed person's
  expect(decideRelease({ people, personId: 'g1', typed: 'Jordan Kim', custodyAlerts }).verdict).toBe('stop');
});

test('someone not on the list, or a possible custody match, needs an override; nobody chosen is none', () => {
  expect(decideRelease({ people, typed: 'Sam Lee', custodyAlerts })).toEqual(expect.objectContaining({ verdict: 'override', notOnList: true, person: null }));
  expect(decideRelease({ people, typed: 'J. Kim', custodyAlerts })).toEqual(
    expect.objectContaining({ verdict: 'override', custody: expect.objectContaining({ match: 'partial' }) }),
  );
  expect(decideRelease({ people, typed: '   ', custodyAlerts }).verdict).toBe('none');
  expect(decideRelease({ people, custodyAlerts }).verdict).toBe('none');
});
