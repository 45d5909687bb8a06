import { describe, expect, it } from 'vitest';
import { ValidationResult } from '../src/index.js';

describe('ValidationResult (V1)', () => {
  it('starts valid with validationType unknown and schemaVersion 1.0', () => {
    const r = new ValidationResult();
    expect(r).toMatchObject({ isValid: true, validationType: 'unknown', schemaVersion: '1.0', messages: [] });
    expect([r.errors, r.warnings, r.info]).toEqual([[], [], []]);
  });

  it('takes isValid, validationType and schemaVersion from init', () => {
    expect(new ValidationResult({ isValid: false, validationType: 'preset', schemaVersion: '2.1' })).toMatchObject({
      isValid: false, validationType: 'preset', schemaVersion: '2.1',
    });
  });

  it('warnings and info never change validity; an error does', () => {
    const r = new ValidationResult();
    r.addWarning('w1');
    r.addInfo('i1');
    expect(r.isValid).toBe(true);
    r.addError('e1');
    expect(r.isValid).toBe(false);
    r.addWarning('w2');
    expect(r.isValid).toBe(false);
  });

  it('groups messages by severity in insertion order and keeps fieldPath and context', () => {
    const r = new ValidationResult();
    r.addError('e1', { fieldPath: 'a', context: { x: 1 } });
    r.addWarning('w1', { fieldPath: 'b' });
    r.addError('e2');
    r.addInfo('i1', { context: { y: 2 } });
    r.addWarning('w2');
    expect(r.errors).toEqual(['e1', 'e2']);
    expect(r.warnings).toEqual(['w1', 'w2']);
    expect(r.info).toEqual(['i1']);
    expect(r.messages).toEqual([
      { severity: 'error', message: 'e1', fieldPath: 'a', context: { x: 1 } },
      { severity: 'warning', message: 'w1', fieldPath: 'b', context: {} },
      { severity: 'error', message: 'e2', fieldPath: '', context: {} },
      { severity: 'info', message: 'i1', fieldPath: '', context: { y: 2 } },
      { severity: 'warning', message: 'w2', fieldPath: '', context: {} },
    ]);
  });
});
