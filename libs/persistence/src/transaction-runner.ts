import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** A transaction's manager, for callers outside libs/persistence (which may not import typeorm). */
export type Transaction = EntityManager;

/** Explicit transactions: `await this.tx.run(async (em) => { … })`; repositories take the manager they are given. */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Runs `work` in the caller's transaction `em` when there is one, in a new transaction otherwise. */
  within<T>(em: EntityManager | undefined, work: (em: EntityManager) => Promise<T>): Promise<T> {
    return em ? work(em) : this.run(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** `SELECT 1`, for readiness. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
