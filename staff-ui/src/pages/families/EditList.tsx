/** The family page's lists: a titled panel of rows, each with Edit, and an Add form at the bottom. */
import type { ReactNode } from 'react';

export function Section({
  title,
  children,
  onAdd,
  adding,
  addForm,
  empty,
  tone,
}: {
  title: string;
  children: ReactNode[];
  onAdd: () => void;
  adding: boolean;
  addForm: ReactNode;
  empty?: string;
  tone?: 'danger';
}) {
  return (
    <section className={`panel ${tone === 'danger' ? 'panel--danger' : ''}`}>
      <div className="section-head">
        <h2>{title}</h2>
        {!adding && (
          <button type="button" className="btn btn--small" onClick={onAdd}>
            Add
          </button>
        )}
      </div>
      {children.length === 0 && !adding && empty && <p className="muted">{empty}</p>}
      <ul className="edit-list">{children}</ul>
      {adding && addForm}
    </section>
  );
}

export function Row({ children, onEdit }: { children: ReactNode; onEdit: () => void }) {
  return (
    <div className="edit-row">
      <div>{children}</div>
      <button type="button" className="link" onClick={onEdit}>
        Edit
      </button>
    </div>
  );
}
