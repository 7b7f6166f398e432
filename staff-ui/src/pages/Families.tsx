/** Families (staff): search by name or phone, register a family, edit everything about it (the screens are in ./families/). */
import { Family } from './families/Family';
import { NewFamily } from './families/NewFamily';
import { Search } from './families/Search';

export default function Families({ id, mode }: { id?: string; mode?: 'new' }) {
  if (mode === 'new') return <NewFamily />;
  if (id) return <Family id={id} />;
  return <Search />;
}
