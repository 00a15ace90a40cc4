import { JoinColumn, ManyToOne, type ObjectType } from 'typeorm';

/**
 * A many-to-one relation stored in `column` with its named foreign key — `@ManyToOne` and `@JoinColumn` in one:
 * `CASCADE` for what the row belongs to, `SET NULL` for what it only mentions.
 */
export function ForeignKey<T>(
  target: () => ObjectType<T>,
  column: string,
  constraint: string,
  onDelete: 'CASCADE' | 'SET NULL',
): PropertyDecorator {
  return (prototype, property) => {
    ManyToOne(target, { onDelete })(prototype, property);
    JoinColumn({ name: column, foreignKeyConstraintName: constraint })(prototype, property);
  };
}
