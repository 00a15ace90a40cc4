import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';

/** Explicit transactions: `await this.tx.run(async (em) => { … })`; repositories take the manager they are given. */
@Injectable()
export class TransactionRunner {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  run<T>(work: (em: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  get manager(): EntityManager {
    return this.dataSource.manager;
  }

  /** `SELECT 1`, for readiness. */
  async ping(): Promise<void> {
    await this.dataSource.query('SELECT 1');
  }
}
